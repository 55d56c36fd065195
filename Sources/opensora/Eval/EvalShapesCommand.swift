import ArgumentParser
import Foundation
import OpenSora
import OpenSoraTraining

/// `opensora eval shapes`: the default model's measure (docs/default-model.md): generate for prompts of the shapes
/// grammar, score colour, shape and direction with the analytic detector; image-to-video; the VAE's PSNR.
struct EvalShapesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shapes",
        abstract: "Colour, shape and direction accuracy of generated moving-shape videos (and i2v, VAE PSNR).",
        discussion: """
        Prompts are 'a {color} {shape} moving {direction}', one per line. --i2v-data conditions on the first frame of each
        clip of a synth-shapes CSV and prompts its caption; --vae-data reconstructs its clips with the model's VAE.

        Example:
          opensora eval shapes --prompts recipes/default-model/held-out-prompts.txt \\
            --i2v-data data/default-model/held-out/shapes.csv --vae-data data/default-model/held-out/shapes.csv
        """)

    @Option(help: "Prompts, one per line.")
    var prompts: String

    @Option(help: "Samples per prompt (seeds follow --seed).")
    var samplesPerPrompt = 4

    @Option(help: "A synth-shapes CSV whose clips' first frames condition image-to-video samples.")
    var i2vData: String?

    @Option(help: "Image-to-video samples (the CSV's first rows).")
    var numI2v = 24

    @Option(help: "A synth-shapes CSV of held-out clips for the VAE's reconstruction PSNR.")
    var vaeData: String?

    @Option(help: "VAE clips (the CSV's first rows).")
    var numVae = 24

    @Option(help: "The report JSON to write (atomically).")
    var out = "shapes.json"

    @OptionGroup var sampling: SamplingOptions

    @OptionGroup var model: ModelOptions

    func validate() throws {
        guard samplesPerPrompt >= 1, numI2v >= 1, numVae >= 1 else {
            throw ValidationError("--samples-per-prompt, --num-i2v and --num-vae must be at least 1")
        }
    }

    func run() throws {
        let captions = try ShapesEvaluation.captions(try PromptFile.read(prompts))
        var template = GenerationRequest(prompts: [""])
        try sampling.apply(to: &template, defaults: try model.generationDefaults())
        let bundle = try model.bundle()
        let evaluation = ShapesEvaluation(pipeline: GenerationPipeline(models: bundle), template: template, samplesPerPrompt: samplesPerPrompt)
        func show(_ s: ShapesReport.Sample) {
            let d = s.detection
            print("[\(s.mode.rawValue)] \(s.prompt) #\(s.sample): saw \(d.color?.rawValue ?? "?") \(d.shape?.rawValue ?? "?") "
                  + "\(d.direction?.rawValue ?? "?") (fill \(String(format: "%.2f", d.fillRatio))) \(s.color && s.shape && s.direction ? "ok" : "MISS")")
        }
        let t2v = try evaluation.textToVideo(captions, onSample: show)
        var i2v: [ShapesReport.Sample]?
        if let i2vData {
            let table = try DatasetTable(contentsOf: i2vData)
            let clips = try table.rows.prefix(numI2v).map { row in
                guard let c = ShapeCaption(parsing: row.text) else {
                    throw ValidationError("--i2v-data \(i2vData): '\(row.text)' is not a caption of the shapes grammar")
                }
                return (path: row.path, caption: c)
            }
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("eval-shapes-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            i2v = try evaluation.imageToVideo(clips: clips, scratch: scratch, onSample: show)
        }
        var vae: ShapesReport.VAEQuality?
        if let vaeData {
            let table = try DatasetTable(contentsOf: vaeData)
            guard let first = table.rows.first else { throw ValidationError("--vae-data \(vaeData) has no rows") }
            let shape = BucketShape(frameCount: first.numFrames, size: VideoSize(height: first.height, width: first.width))
            let eval = try VAEReconstructionEval(dataset: try TrainingDataset(table: table, transform: .centre), shape: shape,
                                                 seed: sampling.seed, limit: numVae)
            let settings = VAEReconstructionReport.Settings(data: vaeData, checkpoint: bundle.description, numFrames: shape.frameCount,
                                                            height: shape.size.height, width: shape.size.width,
                                                            microFrameSize: bundle.vae.config.microFrameSize, seed: sampling.seed)
            let report = try eval.run(settings: settings, reconstruct: VAEReconstructionEval.autoencode(bundle.vae))
            vae = .init(clips: report.clips.count, psnr: report.psnr, ssim: report.ssim)
        }
        let report = ShapesReport(
            settings: .init(model: bundle.description, prompts: prompts, samplesPerPrompt: samplesPerPrompt, seed: template.seed,
                            steps: template.steps, cfgScale: template.guidanceScale, imageToVideoData: i2vData, vaeData: vaeData),
            textToVideo: .init(t2v), imageToVideo: i2v.map(ShapesReport.Accuracy.init), vae: vae, samples: t2v + (i2v ?? []))
        try report.write(to: out)
        print(report.table)
        print("wrote \(out)")
    }
}
