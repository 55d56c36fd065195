import ArgumentParser
import Foundation
import MLXTensor
import OpenSora
import OpenSoraTraining

/// `opensora eval vae`: reconstruct each clip of a dataset CSV with the video VAE and report PSNR/SSIM
/// (scripts/inference_vae.py + eval/vae/eval_common_metric.py, spec/evaluation.md §2).
struct EvalVAECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vae",
        abstract: "VAE reconstruction quality (PSNR, SSIM) over the clips of a dataset CSV.",
        discussion: """
        Example:
          opensora eval vae --data clips.csv --ckpt-path OpenSora-VAE-v1.2 --out metrics.json --save-dir recon
        """)

    /// The VAE presets `--vae-config` accepts.
    enum VAEPreset: String, CaseIterable, ExpressibleByArgument {
        case v1_2 = "v1.2"
        case tiny

        var config: VideoVAEConfig { self == .tiny ? .tiny : .v1_2 }
    }

    @Option(help: "The dataset CSV (path, text, num_frames, height, width columns).")
    var data: String

    @Option(help: "VAE weights: a checkpoint folder (model.safetensors or the official files) or a weights file.")
    var ckptPath: String

    @Option(help: "VAE architecture of the weights (default: the folder's config.json, else v1.2).")
    var vaeConfig: VAEPreset?

    @Option(help: "Frames per clip (a random temporal crop of each video; images are one frame).")
    var numFrames = 17

    @Option(parsing: .upToNextOption, help: "Clip size H W (multiples of the VAE's 8× downsampling).")
    var imageSize: [Int] = [256, 256]

    @Option(help: "Frames the VAE encodes and decodes at once; 0 encodes the whole clip (the reference's VAE eval).")
    var microFrameSize = 17

    @Option(help: "Evaluate at most this many clips (default: every row).")
    var numSamples: Int?

    @Option(help: "Seed of the temporal crops and the VAE's posterior samples.")
    var seed: UInt64 = 42

    @Option(help: "The metrics JSON to write (atomically).")
    var out = "metrics.json"

    @Option(help: "Also write original|reconstruction side by side, one MP4 per clip (<row>.mp4), into this folder.")
    var saveDir: String?

    @Option(help: "Frame rate of the side-by-side videos.")
    var fps = 24

    func validate() throws {
        guard imageSize.count == 2 else { throw ValidationError("--image-size takes two numbers, H W; got \(imageSize.count)") }
        let factor = (vaeConfig?.config ?? .v1_2).spatial.downsampleFactor
        for side in imageSize where side < 16 || side % factor != 0 {
            throw ValidationError("--image-size \(imageSize[0]) \(imageSize[1]): each side must be a multiple of \(factor), at least 16")
        }
        guard numFrames >= 1 else { throw ValidationError("--num-frames \(numFrames) must be at least 1") }
        guard microFrameSize >= 0 else { throw ValidationError("--micro-frame-size \(microFrameSize) must be 0 (whole clip) or positive") }
        if let numSamples, numSamples < 1 { throw ValidationError("--num-samples \(numSamples) must be at least 1") }
        guard (1...1000).contains(fps) else { throw ValidationError("--fps \(fps) is out of range; accepted: 1...1000") }
    }

    func run() throws {
        let table = try DatasetTable(contentsOf: data)
        var config = try vaeConfig?.config ?? (ModelBundle.hasModelConfig(ckptPath)
            ? ModelFolder.config(VideoVAEConfig.self, at: (ckptPath as NSString).appendingPathComponent("config.json")) : .v1_2)
        config.microFrameSize = microFrameSize == 0 ? nil : microFrameSize
        let vae = try ModelBundle.loadVAE(at: ckptPath, config: config)
        let size = VideoSize(height: imageSize[0], width: imageSize[1])
        let evaluation = try VAEReconstructionEval(dataset: try TrainingDataset(table: table, transform: .centre), shape: BucketShape(frameCount: numFrames, size: size),
                                                   seed: seed, limit: numSamples)
        let settings = VAEReconstructionReport.Settings(data: data, checkpoint: ckptPath, numFrames: numFrames, height: size.height,
                                                        width: size.width, microFrameSize: config.microFrameSize, seed: seed)
        if let saveDir { try FileManager.default.createDirectory(atPath: saveDir, withIntermediateDirectories: true) }
        let total = numSamples.map { min($0, table.rows.count) } ?? table.rows.count
        var done = 0
        let report = try evaluation.run(settings: settings, reconstruct: VAEReconstructionEval.autoencode(vae), onClip: { result in
            done += 1
            let c = result.clip
            print("[\(done)/\(total)] row \(c.row) \(c.path): PSNR \(String(format: "%.3f", c.psnr)) SSIM \(String(format: "%.4f", c.ssim))")
            if let saveDir {
                let base = (saveDir as NSString).appendingPathComponent(String(format: "%03d", c.row))
                try VideoWriter.write(VAEReconstructionEval.sideBySide(result.original, result.reconstruction), to: base, format: .mp4, fps: fps)
            }
        }, onSkip: { skip in
            FileHandle.standardError.write(Data("warning: \(skip.reason)\n".utf8))
        })
        try report.write(to: out)
        print("overall: PSNR \(String(format: "%.3f", report.psnr)) SSIM \(String(format: "%.4f", report.ssim)) "
              + "over \(report.clips.count) clips (\(report.skipped.count) skipped); wrote \(out)")
    }
}
