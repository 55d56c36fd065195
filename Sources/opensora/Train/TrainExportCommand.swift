import ArgumentParser
import Foundation
import MLXTensor
import OpenSora
import OpenSoraTraining

/// `opensora train export`: a trained model in the released folder layout (config.json + model.safetensors), the form
/// the default model ships in (docs/default-model.md).
struct TrainExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a trained model as a model folder: config.json + model.safetensors (+ spiece.model for T5).",
        discussion: """
        stdit:   a diffusion checkpoint's STDiT3 (its EMA weights unless --no-ema), with --generation-config copied in.
        vae:     a train-vae checkpoint's VAE, its latent shift/scale measured on --data (the clips' latent mean and std).
        tiny-t5: the tiny T5 with random frozen weights from --seed and the bundled SentencePiece model.

        Examples:
          opensora train export vae outputs/vae --data clips.csv --out models/vae
          opensora train export stdit outputs/stdit --out models/stdit --generation-config generation_config.json
          opensora train export tiny-t5 --seed 3 --out models/t5
        """)

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case stdit, vae
        case tinyT5 = "tiny-t5"
    }

    @Argument(help: "What to export: stdit, vae or tiny-t5.")
    var kind: Kind

    @Argument(help: "A checkpoint folder, or an experiment folder (its newest checkpoint); not for tiny-t5.")
    var checkpoint: String?

    @Option(help: "The model folder to write (replaced whole).")
    var out: String

    @Flag(help: "stdit: export the trained weights instead of the EMA.")
    var noEMA = false

    @Option(help: "stdit: a generation_config.json (resolution, aspect_ratio, num_frames, fps, aes_none, …) to ship with it.")
    var generationConfig: String?

    @Option(help: "vae: the dataset CSV whose clips measure the latent statistics.")
    var data: String?

    @Option(help: "vae: clips to measure on.")
    var numClips = 64

    @Option(help: "vae: frames per clip.")
    var numFrames = 17

    @Option(help: "tiny-t5: seed of the weights; vae: seed of the posterior draws.")
    var seed: UInt64 = 0

    func validate() throws {
        if kind == .tinyT5, checkpoint != nil { throw ValidationError("tiny-t5 takes no checkpoint") }
        if kind != .tinyT5, checkpoint == nil { throw ValidationError("\(kind.rawValue) needs a checkpoint folder") }
        if kind == .vae, data == nil { throw ValidationError("vae needs --data CSV (the clips the latent statistics come from)") }
        guard numClips >= 1, numFrames >= 1 else { throw ValidationError("--num-clips and --num-frames must be at least 1") }
    }

    func run() throws {
        switch kind {
        case .tinyT5:
            try ModelExport.tinyT5(seed: seed, to: out)
        case .stdit:
            let folder = try resolved()
            let defaults = try generationConfig.map { path in
                try GenerationDefaults.read(folder: (path as NSString).deletingLastPathComponent, name: (path as NSString).lastPathComponent)
                    ?? { throw ValidationError("--generation-config \(path) does not exist") }()
            }
            try ModelExport.denoiser(checkpoint: folder, to: out, useEMA: !noEMA, defaults: defaults)
        case .vae:
            let folder = try resolved()
            let stats = try ModelExport.vae(checkpoint: folder, to: out, csv: data!, count: numClips, frames: numFrames, seed: seed)
            print("latent shift \(stats.shift.map { String(format: "%.4f", $0) }), scale \(stats.scale.map { String(format: "%.4f", $0) }) "
                  + "over \(stats.clips) clips")
        }
        print(out)
    }

    func resolved() throws -> String {
        guard let checkpoint, let folder = TrainingCheckpoint.resolve(checkpoint) else {
            throw ValidationError("\(checkpoint ?? "") is not a checkpoint folder or an experiment folder with one")
        }
        return folder
    }
}
