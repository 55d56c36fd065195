// Reference: opensora/utils/misc.py@v1.2.0 `create_experiment_workspace` (via train.py): `{outputs}/{NNN}-{model type
// with "/" → "-"}`, NNN = entries already in `outputs`, 3 digits (e.g. outputs/000-STDiT3-XL-2); spec/training.md §2.
import Foundation
import MLXTensor

/// A run's folder: its checkpoints, `log.jsonl` and `config.yaml`.
public enum ExperimentFolder {
    /// The name the next run under `outputs` gets (counting every entry there, as the reference does).
    public static func nextName(outputs: String, modelType: String) -> String {
        let count = ((try? FileManager.default.contentsOfDirectory(atPath: outputs)) ?? []).filter { !$0.hasPrefix(".") }.count
        return String(format: "%03d-", count) + modelType.replacingOccurrences(of: "/", with: "-")
    }

    /// Creates the next run's folder under `config.outputs` and writes the config into it (atomically).
    public static func create(for config: TrainingConfig) throws -> String {
        try FileManager.default.createDirectory(atPath: config.outputs, withIntermediateDirectories: true)
        let path = (config.outputs as NSString).appendingPathComponent(nextName(outputs: config.outputs, modelType: config.model.type.rawValue))
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        try AtomicFile.write(Data(config.yamlText().utf8), to: (path as NSString).appendingPathComponent("config.yaml"), durable: true)
        return path
    }
}
