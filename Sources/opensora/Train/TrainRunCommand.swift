import ArgumentParser
import Foundation
import OpenSora
import OpenSoraTraining

/// `opensora train CONFIG.yaml`: the diffusion trainer (scripts/train.py).
struct TrainRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train STDiT3 with the rectified-flow loss from a run config (the default subcommand of `train`).")

    @OptionGroup var options: TrainingConfigOptions

    @OptionGroup var session: TrainingRunOptions

    func run() throws {
        let config = try options.load()
        // Under `opensora launch`: data-parallel over the ranks, sequence-parallel in groups of sp_size.
        let parallelism = try TrainingParallelism(world: try ParallelWorld.current(), sequenceSize: config.spSize)
        let trainer = try DiffusionTrainer(config: config, parallelism: parallelism)
        try TrainingSession.run(trainer, resume: session.resume, experiment: session.experiment, started: trainer.models.initialization)
    }
}

/// Runs a trainer through the shared loop with the terminal attached (both `train` and `train-vae`).
enum TrainingSession {
    static func run<Task: TrainingTask>(_ task: Task, resume: String?, experiment: String?, started: String) throws {
        guard task.parallelism.isWriter else {
            _ = try TrainingLoop(task: task, options: .init(experiment: experiment, resume: resume)).run()  // rank 0 reports
            return
        }
        let terminal = TrainingTerminal(logEvery: task.config.logEvery)
        terminal.message("model: \(started); \(task.optimizer.trainablePaths.count) trainable tensors")
        let loop = TrainingLoop(task: task, options: .init(experiment: experiment, resume: resume, onStart: terminal.start,
                                                           onStep: terminal.step, onMessage: terminal.message))
        let summary = try loop.run()
        terminal.message("done: \(summary.completedSteps) steps in \(summary.experiment)"
                         + (summary.lastCheckpoint.map { "; last checkpoint \($0)" } ?? ""))
        print(summary.lastCheckpoint ?? summary.experiment)
    }
}
