import ArgumentParser
import Foundation
import OpenSoraTraining

/// The run config of every training command: a YAML file or preset name, `--set key.path=value` overrides and the
/// reference's flag names (spec/surfaces.md §1.3), applied in that order.
struct TrainingConfigOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A run config (YAML) or a preset name.",
                                 discussion: "Presets: \(TrainingConfig.presetNames.joined(separator: ", "))."))
    var config: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a key, e.g. --set optimizer.lr=2e-5 (repeatable).", valueName: "key.path=value"))
    var overrides: [String] = []

    @Option(help: "The dataset CSV, or a feature-cache folder (dataset.data_path).") var dataPath: String?
    @Option(help: "Initial model weights (model.from_pretrained): released weights or a checkpoint folder.") var ckptPath: String?
    @Option(help: "Learning rate (optimizer.lr).") var lr: Double?
    @Option(help: "Linear warm-up steps.") var warmupSteps: Int?
    @Option(help: "The seed of every random draw of the run.") var seed: UInt64?
    @Option(help: "Batch size (the VAE trainer's; the diffusion trainer's come from the buckets).") var batchSize: Int?
    @Option(help: "Where experiment folders are created.") var outputs: String?
    @Option(help: "Parameter dtype: bf16, fp16 or fp32.") var dtype: String?
    @Flag(help: "With --load: take the weights and optimizer, restart at step 0.") var startFromScratch = false

    /// The typed config; every error names the key and what it accepts.
    func load() throws -> TrainingConfig {
        var all = try overrides.map(ConfigOverride.init(parsing:))
        let flags: [(String, String?)] = [
            ("data-path", dataPath), ("ckpt-path", ckptPath), ("lr", lr.map { "\($0)" }), ("warmup-steps", warmupSteps.map { "\($0)" }),
            ("seed", seed.map { "\($0)" }), ("batch-size", batchSize.map { "\($0)" }), ("outputs", outputs), ("dtype", dtype),
            ("start-from-scratch", startFromScratch ? "true" : nil),
        ]
        for (flag, value) in flags { if let value { all.append(try ConfigOverride(referenceFlag: flag, value: value)) } }
        let isPreset = TrainingConfig.presetNames.contains(config) && !FileManager.default.fileExists(atPath: config)
        let loaded = isPreset ? try TrainingConfig.preset(config, overrides: all) : try TrainingConfig(file: config, overrides: all)
        try loaded.validate()
        return loaded
    }
}
