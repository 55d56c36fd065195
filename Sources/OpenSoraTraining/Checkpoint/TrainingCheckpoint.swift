// Reference: train.py@v1.2.0 + opensora/utils/ckpt_utils.py `save` (folder epoch{E}-global_step{S} with model/,
// optimizer/, lr_scheduler, running_states.json, ema.pt, sampler); spec/training.md §10.1. Ours stores the
// weights as safetensors under the official state_dict names, adds every RNG state and the config, and a manifest.
import Foundation
import MLXTensor

/// Everything a run needs to resume exactly, as one folder.
public struct TrainingCheckpoint {
    /// The files of a checkpoint folder.
    public enum File: String, CaseIterable, Sendable {
        case model = "model.safetensors"
        case ema = "ema.safetensors"
        case optimizer = "optimizer.safetensors"
        case sampler = "sampler.json"
        case progress = "running_states.json"
        case rng = "rng.json"
        case config = "config.yaml"
        /// The trained model's own config (STDiT3Config or VideoVAEConfig JSON), so the folder loads as a model.
        case modelConfig = "config.json"
        /// A VAE run's discriminator (weights and BatchNorm statistics, state_dict names) and its AdamW state; only
        /// written when the run has one (train_vae.py's `discriminator/` and `disc_optimizer/`).
        case discriminator = "discriminator.safetensors"
        case discriminatorOptimizer = "discriminator_optimizer.safetensors"
    }

    public var progress: TrainingProgress
    /// Model weights under the official state_dict names.
    public var model: SafetensorsFile
    /// `EMA.state()`; nil for the VAE trainer, which keeps none.
    public var ema: SafetensorsFile?
    /// `AdamW.state()`.
    public var optimizer: SafetensorsFile?
    public var sampler: BatchSamplerState?
    public var rng: RNGStates
    public var config: TrainingConfig
    /// `config.json` of the trained model.
    public var modelConfig: Data?
    public var discriminator: DiscriminatorState?

    public init(progress: TrainingProgress, model: SafetensorsFile, ema: SafetensorsFile? = nil, optimizer: SafetensorsFile? = nil,
                sampler: BatchSamplerState? = nil, rng: RNGStates = RNGStates(), config: TrainingConfig, modelConfig: Data? = nil,
                discriminator: DiscriminatorState? = nil) {
        (self.progress, self.model, self.ema, self.optimizer) = (progress, model, ema, optimizer)
        (self.sampler, self.rng, self.config, self.modelConfig) = (sampler, rng, config, modelConfig)
        self.discriminator = discriminator
    }

    /// Writes `experiment/epoch{E}-global_step{S}`: every file into a temporary folder beside it, the manifest
    /// last, all flushed, then one rename; only then are checkpoints beyond the newest `keepLast` deleted.
    /// `afterFile` (tests) runs after each file is written, before the rename.
    @discardableResult
    public func save(in experiment: String, keepLast: Int? = nil, afterFile: ((String) throws -> Void)? = nil) throws -> String {
        if let k = keepLast, k < 1 { throw TrainingCheckpointError.invalidKeepCount(k) }
        try FileManager.default.createDirectory(atPath: experiment, withIntermediateDirectories: true)
        let target = (experiment as NSString).appendingPathComponent(progress.checkpointName.description)
        try AtomicFile.write(to: target, temporarySuffix: ".tmp", durable: true) { temp in
            try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: false)
            try writeFiles(into: temp, afterFile: afterFile)
        }
        if let k = keepLast { try Self.prune(experiment, keepLast: k) }
        return target
    }

    func writeFiles(into folder: String, afterFile: ((String) throws -> Void)?) throws {
        func path(_ f: File) -> String { (folder as NSString).appendingPathComponent(f.rawValue) }
        var written = [String]()
        func done(_ f: File) throws {
            written.append(f.rawValue)
            try afterFile?(f.rawValue)
        }
        let json = JSONEncoder()
        json.outputFormatting = [.prettyPrinted, .sortedKeys]
        try Safetensors.save(model, to: path(.model))
        try done(.model)
        if let ema {
            try Safetensors.save(ema, to: path(.ema))
            try done(.ema)
        }
        if let optimizer {
            try Safetensors.save(optimizer, to: path(.optimizer))
            try done(.optimizer)
        }
        if let sampler {
            try json.encode(sampler).write(to: URL(fileURLWithPath: path(.sampler)))
            try done(.sampler)
        }
        try json.encode(progress).write(to: URL(fileURLWithPath: path(.progress)))
        try done(.progress)
        try json.encode(rng).write(to: URL(fileURLWithPath: path(.rng)))
        try done(.rng)
        try Data(config.yamlText().utf8).write(to: URL(fileURLWithPath: path(.config)))
        try done(.config)
        if let modelConfig {
            try modelConfig.write(to: URL(fileURLWithPath: path(.modelConfig)))
            try done(.modelConfig)
        }
        if let discriminator {
            try Safetensors.save(discriminator.model, to: path(.discriminator))
            try done(.discriminator)
            try Safetensors.save(discriminator.optimizer, to: path(.discriminatorOptimizer))
            try done(.discriminatorOptimizer)
        }
        let manifest = try CheckpointManifest(folder: folder, files: written)
        try json.encode(manifest).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(CheckpointManifest.fileName)))
    }
}
