import ArgumentParser
import Foundation
import OpenSora
import OpenSoraTraining

/// `opensora train-vae CONFIG.yaml`: the video VAE trainer (scripts/train_vae.py), through the same loop as `train`.
struct TrainVAECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-vae",
        abstract: "Train the video VAE pipeline (a vae_stage1/2/3 run config) on fixed-size clips.")

    @OptionGroup var options: TrainingConfigOptions

    @OptionGroup var session: TrainingRunOptions

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("LPIPS weights for the perceptual term (vae_loss.lpips_weights): taming's vgg.pth or an LPIPS state_dict, "
                               + "then torchvision's vgg16 if the trunk is not in it. Without them the term is off.", valueName: "path"))
    var lpipsWeights: [String] = []

    func validate() throws {
        guard lpipsWeights.count <= 2 else { throw ValidationError("--lpips-weights takes one or two paths (head, then vgg16), got \(lpipsWeights.count)") }
    }

    func run() throws {
        var config = try options.load()
        if !lpipsWeights.isEmpty {
            var loss = config.vaeLoss ?? .init()
            loss.lpipsWeights = lpipsWeights
            config.vaeLoss = loss
        }
        let trainer = try VAETrainer(config: config, parallelism: try TrainingParallelism(world: try ParallelWorld.current(), sequenceSize: config.spSize))
        try TrainingSession.run(trainer, resume: session.resume, experiment: session.experiment, started: trainer.initialization)
    }
}
