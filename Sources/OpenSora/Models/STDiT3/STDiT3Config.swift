// Reference: opensora/models/stdit/stdit3.py@v1.2.0 (STDiT3Config); spec/stdit3.md §1.

/// The hyper-parameters of STDiT3, with the reference's JSON names (a checkpoint's config.json
/// decodes directly). Runtime-only switches (flash attention, fused kernels) are accepted and ignored.
public struct STDiT3Config: ModelConfig {
    public var inputSquareSize = 512
    public var inChannels = 4
    public var patchSize = [1, 2, 2]
    public var hiddenSize = 1152
    public var depth = 28
    public var headCount = 16
    public var mlpRatio: Double = 4.0
    public var classDropoutProbability: Double = 0.1
    public var predictSigma = true
    public var captionChannels = 4096
    public var modelMaxLength = 300
    public var qkNorm = true
    public var onlyTrainTemporal = false
    public var freezeCaptionEmbedder = false

    enum CodingKeys: String, CodingKey {
        case inputSquareSize = "input_sq_size", inChannels = "in_channels", patchSize = "patch_size"
        case hiddenSize = "hidden_size", depth, headCount = "num_heads", mlpRatio = "mlp_ratio"
        case classDropoutProbability = "class_dropout_prob", predictSigma = "pred_sigma"
        case captionChannels = "caption_channels", modelMaxLength = "model_max_length", qkNorm = "qk_norm"
        case onlyTrainTemporal = "only_train_temporal", freezeCaptionEmbedder = "freeze_y_embedder"
    }

    public init() {}

    /// `STDiT3-XL/2`, the released model (hpcai-tech/OpenSora-STDiT-v3).
    public static let xl2 = STDiT3Config()

    /// `STDiT3-3B/2`: hidden 1872, 26 heads (head dim still 72).
    public static let b3_2: STDiT3Config = {
        var c = STDiT3Config()
        c.hiddenSize = 1872
        c.headCount = 26
        return c
    }()

    /// The size the parity fixtures use: hidden 64, depth 2, 4 heads, caption 32 × 8 tokens.
    public static let tiny: STDiT3Config = {
        var c = STDiT3Config()
        c.hiddenSize = 64
        c.depth = 2
        c.headCount = 4
        c.captionChannels = 32
        c.modelMaxLength = 8
        return c
    }()

    public var outChannels: Int { predictSigma ? 2 * inChannels : inChannels }
    public var headDimension: Int { hiddenSize / headCount }
    public var mlpHiddenSize: Int { Int(Double(hiddenSize) * mlpRatio) }

    /// Rejects configurations the model cannot be built with, naming the value.
    public func validate() throws {
        func fail(_ m: String) -> OpenSoraError { .invalidConfiguration("STDiT3: \(m)") }
        guard hiddenSize > 0, headCount > 0, hiddenSize % headCount == 0 else {
            throw fail("hidden_size \(hiddenSize) must be a positive multiple of num_heads \(headCount)")
        }
        // mlpHiddenSize converts hidden_size × mlp_ratio to Int, which traps outside Int's range.
        guard mlpRatio > 0, Double(hiddenSize) * mlpRatio < Double(Int32.max) else {
            throw fail("mlp_ratio \(mlpRatio) must be positive with hidden_size × mlp_ratio below \(Int32.max)")
        }
        guard hiddenSize % 4 == 0 else { throw fail("hidden_size \(hiddenSize) must be divisible by 4 (2-D position embedding)") }
        guard headDimension % 2 == 0 else { throw fail("head dim \(headDimension) must be even (rotary pairs)") }
        guard patchSize.count == 3, patchSize.allSatisfy({ $0 > 0 }) else { throw fail("patch_size \(patchSize) must be 3 positive ints") }
        guard depth > 0, inChannels > 0, captionChannels > 0, modelMaxLength > 0 else {
            throw fail("depth, in_channels, caption_channels, model_max_length must be positive")
        }
    }
}
