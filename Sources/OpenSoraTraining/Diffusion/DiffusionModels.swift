// Reference: scripts/train.py@v1.2.0 steps 5–6 (T5 and the VAE built frozen, STDiT3 with input size and caption channels
// from them, `from_pretrained` / `--ckpt-path` weights, PixArt key remap of `reparameter`); spec/training.md §2, §10.2.
import Foundation
import MLXTensor
import NN
import OpenSora

/// The three networks of diffusion training: STDiT3 (trained), and the frozen VAE and text encoder, absent when
/// the run reads precomputed latents or caption features.
public struct DiffusionModels {
    public let denoiser: STDiT3
    public let vae: VideoVAE?
    public let textEncoder: TextEncoder?
    /// What the initial weights were (for the log).
    public let initialization: String

    /// Builds every part from the config; weights not loaded from a file come from `config.seed`. A training start
    /// may load a partial checkpoint (PixArt has no temporal blocks); evaluation sets `requireEveryWeight`.
    public init(config: TrainingConfig, requireEveryWeight: Bool = false) throws {
        let keys = Self.keys(config)
        let dtype = config.dtype.computeDType
        let encoders = try Self.encoders(config, video: !config.loadVideoFeatures, text: !config.loadTextFeatures)
        (vae, textEncoder) = (encoders.vae, encoders.textEncoder)
        let stdit = try Self.denoiserConfig(config, vae: vae, textEncoder: textEncoder)
        let denoiser = try STDiT3(stdit, key: keys[0])
        // The reference's constructor ends in initialize_weights (stdit3.py:294): Xavier linears, zero biases, temporal
        // blocks as identity; weights loaded below replace it, the ones a partial checkpoint lacks keep it.
        denoiser.initializeWeights(key: keys[0].child(1))
        if let path = config.model.fromPretrained {
            let report = try denoiser.loadWeights(from: try PretrainedDenoiserWeights.load(path, for: denoiser),
                                                  strict: requireEveryWeight)
            guard report.wrongShape.isEmpty, report.loaded > 0 else { throw CheckpointError.mismatch(report) }
            initialization = "weights from \(path) (\(report.loaded) tensors; \(report.missing.count) kept initialised)"
        } else {
            initialization = "initialised from seed \(config.seed)"
        }
        if dtype != .float32 { try denoiser.update(parameters: Dictionary(denoiser.namedParameters().map { ($0.0, $0.1.asType(dtype)) },
                                                                          uniquingKeysWith: { a, _ in a })) }
        self.denoiser = denoiser
    }

    /// The frozen encoders alone (feature extraction builds no STDiT3); the same weights the trainer builds.
    public static func encoders(_ config: TrainingConfig, video: Bool = true, text: Bool = true) throws
        -> (vae: VideoVAE?, textEncoder: TextEncoder?) {
        let keys = keys(config)
        return (video ? try frozenVAE(config.vae ?? .init(), key: keys[1]) : nil,
                text ? try textEncoder(config.textEncoder ?? .init(), key: keys[2]) : nil)
    }

    /// STDiT3, VAE and text-encoder initialisation keys, from the run's seed.
    static func keys(_ config: TrainingConfig) -> [RandomKey] { RandomKey(seed: config.seed).split(into: 3) }

    /// STDiT3's config: the model type's size, the config's flags, channels and caption shape from the frozen parts.
    public static func denoiserConfig(_ config: TrainingConfig, vae: VideoVAE?, textEncoder: TextEncoder?) throws -> STDiT3Config {
        var c: STDiT3Config
        switch config.model.type {
        case .stdit3XL2: c = .xl2
        case .stdit3Tiny:
            c = .tiny
            if let h = config.model.hiddenSize { c.hiddenSize = h }
            if let d = config.model.depth { c.depth = d }
            if let n = config.model.numHeads { c.headCount = n }
        case .videoAutoencoderPipeline, .videoAutoencoderPipelineTiny:
            throw TrainingError.wrongTrainer(config: "model.type \(config.model.type.rawValue)", expected: .diffusion, found: .vae)
        }
        let m = config.model
        if let q = m.qkNorm { c.qkNorm = q }
        if let p = m.patchSize { c.patchSize = p }
        c.freezeCaptionEmbedder = m.freezeYEmbedder ?? false
        c.onlyTrainTemporal = m.onlyTrainTemporal ?? false
        c.inChannels = vae?.latentChannels ?? config.vaeOutChannels
        if let textEncoder {
            c.captionChannels = textEncoder.model?.config.modelDimensions ?? config.textEncoderOutputDim
            c.modelMaxLength = textEncoder.maxLength
        } else {
            c.captionChannels = config.textEncoderOutputDim
            c.modelMaxLength = config.textEncoderModelMaxLength
        }
        try c.validate()
        return c
    }

    /// The frozen VAE: the released v1.2 pipeline from its folder, or the tiny one (from a file, or from `key`).
    static func frozenVAE(_ v: TrainingConfig.VAE, key: RandomKey) throws -> VideoVAE {
        let vae: VideoVAE
        switch (v.type, v.fromPretrained) {
        case (.openSoraV1_2, nil):
            throw TrainingError.missingWeights(key: "vae.from_pretrained", reason: "the OpenSoraVAE_V1_2 weights are required (a folder or file)")
        case (.tiny, nil):
            vae = try VideoVAE(.tiny, key: key)
        case (_, let path?):
            // A train-vae checkpoint's config.json gives its size; released weights are v1.2, bare tiny weights tiny.
            vae = ModelBundle.hasModelConfig(path) || v.type == .openSoraV1_2
                ? try ModelBundle.videoVAE(at: path) : try ModelBundle.loadVAE(at: path, config: .tiny, dtype: .float32)
        }
        vae.eval()
        vae.frozenPrefixes = [""]
        return vae
    }

    /// The frozen text encoder: T5 from its folder, or the tiny T5 (weights from `key`).
    static func textEncoder(_ t: TrainingConfig.TextEncoder, key: RandomKey) throws -> TextEncoder {
        switch t.type {
        case .t5:
            guard let folder = t.fromPretrained else {
                throw TrainingError.missingWeights(key: "text_encoder.from_pretrained", reason: "a t5-v1_1-xxl folder is required")
            }
            return try TextEncoder(folder: folder, maxLength: t.modelMaxLength)
        case .tiny:
            return try TextEncoder.tiny(key: key, maxLength: t.modelMaxLength)
        }
    }
}

extension TrainingDType {
    /// The dtype the model computes in (masters and optimizer states stay float32).
    public var computeDType: DType {
        switch self {
        case .bf16: .bfloat16
        case .fp16: .float16
        case .fp32: .float32
        }
    }
}
