import ArgumentParser
import Foundation
import MLXTensor
import OpenSora
import OpenSoraTraining

/// `opensora eval loss CONFIG.yaml --ckpt-path DIR`: the rectified-flow evaluation loss (eval/loss/eval_loss.py,
/// spec/evaluation.md §1) per (resolution, length), printed as a table and written as JSON.
struct EvalLossCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loss",
        abstract: "Rectified-flow evaluation loss over a bucket list at 10 equidistant timesteps.",
        discussion: """
        The bucket list is the config's eval_bucket_config, else eval_loss.py's table (144p … 2048, image to 16 s).
        Example:
          opensora eval loss run.yaml --ckpt-path outputs/000-STDiT3-tiny/epoch5-global_step12 --data-path val.csv
        """)

    @OptionGroup var options: TrainingConfigOptions

    @Option(help: "Only this resolution's entries (e.g. 240p).")
    var resolution: String?

    @Option(help: "The JSON report to write (atomically).")
    var out = "eval_loss.json"

    func run() throws {
        var config = try options.load()
        guard config.model.fromPretrained != nil else { throw ValidationError("--ckpt-path is required: the weights to evaluate") }
        var buckets = config.evalBucketConfig ?? .evaluationLoss
        if let resolution {
            guard let r = Resolution(rawValue: resolution), let only = buckets.resolutions.first(where: { $0.resolution == r }) else {
                throw ValidationError("--resolution \(resolution): the bucket list has "
                                      + buckets.resolutions.map(\.resolution.rawValue).joined(separator: ", "))
            }
            buckets = try BucketConfig([only])
        }
        config.evalBucketConfig = buckets
        let models = try DiffusionModels(config: config, requireEveryWeight: true)
        models.denoiser.eval()
        guard let dataPath = config.dataset.dataPath else { throw ValidationError("--data-path is required (dataset.data_path)") }
        let dataset = try TrainingDataset(table: DatasetTable(contentsOf: dataPath), frameInterval: config.dataset.frameInterval)
        let evaluation = try DiffusionEvaluation(config: config, dataset: dataset, models: models,
                                                 objective: DiffusionObjective(denoiser: models.denoiser, config: config))
        let terminal = TrainingTerminal()
        let report = try evaluation.run(progress: terminal.message)
        guard !report.entries.isEmpty else { throw ValidationError("no entry of the bucket list has a whole batch of \(dataPath)") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(report), to: out, durable: true)
        terminal.message(report.table)
        print(out)
    }
}
