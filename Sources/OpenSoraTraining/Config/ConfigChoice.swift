// Reference: the string-valued keys of configs/opensora-v1-2/train/*.py and configs/vae/train/*.py@v1.2.0.

/// A closed set of names a config key accepts; decoding anything else names the key and the choices.
public protocol ConfigChoice: RawRepresentable, CaseIterable, Codable, Sendable where RawValue == String {}

extension ConfigChoice {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw ConfigError.invalidValue(path: decoder.configKeyPath, value: "'\(text)'",
                                           accepted: "one of " + Self.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Which trainer runs the config: `opensora train` (scripts/train.py) or `opensora train-vae` (train_vae.py).
public enum TrainerKind: String, ConfigChoice { case diffusion, vae }

/// `dtype`: the reference accepts only fp16/bf16; fp32 is added because CPU matmul in bf16 is 40–80x slower (DESIGN.md).
public enum TrainingDType: String, ConfigChoice { case bf16, fp16, fp32 }

/// `plugin`: ZeRO-2 data parallel, or with sequence parallelism (needs `sp_size > 1`).
public enum ParallelPlugin: String, ConfigChoice {
    case zero2
    case zero2Sequence = "zero2-seq"
}

/// `dataset.type`.
public enum DatasetType: String, ConfigChoice {
    case variableVideoText = "VariableVideoTextDataset"
    case batchFeature = "BatchFeatureDataset"
    case videoText = "VideoTextDataset"
}

/// `dataset.transform_name`.
public enum TransformName: String, ConfigChoice {
    case resizeCrop = "resize_crop"
    case center
}

/// `scheduler.sample_method` (timestep sampling of the rectified-flow loss, spec/training.md §7).
public enum TimestepSampleMethod: String, ConfigChoice {
    case logitNormal = "logit-normal"
    case uniform
}

/// `model.type`.
public enum TrainedModelType: String, ConfigChoice {
    case stdit3XL2 = "STDiT3-XL/2"
    /// Added: the tiny STDiT3 of the tests and the shipped default model (hidden 64, depth 2); its size
    /// keys (`model.hidden_size`, `depth`, `num_heads`) may be overridden.
    case stdit3Tiny = "STDiT3-tiny"
    case videoAutoencoderPipeline = "VideoAutoencoderPipeline"
    /// Added: the tiny VAE pipeline (VideoVAEConfig.tiny) of the tests and the shipped default model.
    case videoAutoencoderPipelineTiny = "VideoAutoencoderPipeline-tiny"
}

/// `vae.type` of diffusion training: the released v1.2 pipeline, or (added) the tiny one.
public enum FrozenVAEType: String, ConfigChoice {
    case openSoraV1_2 = "OpenSoraVAE_V1_2"
    case tiny
}

/// `text_encoder.type`: T5 from a folder, or (added) the tiny T5 with the bundled tokenizer.
public enum TextEncoderType: String, ConfigChoice {
    case t5
    case tiny
}
