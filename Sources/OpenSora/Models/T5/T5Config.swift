// Reference: transformers models/t5/configuration_t5.py; spec/t5.md §4.

/// A T5 encoder's hyper-parameters, decoded from a Hugging Face `config.json`.
public struct T5Config: ModelConfig {
    public var vocabularySize = 32128
    public var modelDimensions = 4096
    public var keyValueDimensions = 64
    public var feedForwardDimensions = 10240
    public var layerCount = 24
    public var headCount = 64
    public var relativeAttentionBuckets = 32
    public var relativeAttentionMaxDistance = 128
    public var feedForwardProjection = "gated-gelu"
    public var layerNormEpsilon: Double = 1e-6

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size", modelDimensions = "d_model", keyValueDimensions = "d_kv"
        case feedForwardDimensions = "d_ff", layerCount = "num_layers", headCount = "num_heads"
        case relativeAttentionBuckets = "relative_attention_num_buckets"
        case relativeAttentionMaxDistance = "relative_attention_max_distance"
        case feedForwardProjection = "feed_forward_proj", layerNormEpsilon = "layer_norm_epsilon"
    }

    public init() {}

    /// google/t5-v1_1-xxl (DeepFloyd/t5-v1_1-xxl), the encoder Open-Sora 1.2 uses.
    public static let v1_1XXL = T5Config()

    /// The parity fixtures' size: d_model 32, 2 layers, 4 heads, vocabulary 1152.
    public static let tiny: T5Config = {
        var c = T5Config()
        c.vocabularySize = 1152
        c.modelDimensions = 32
        c.keyValueDimensions = 8
        c.feedForwardDimensions = 64
        c.layerCount = 2
        c.headCount = 4
        return c
    }()

    public var isGated: Bool { feedForwardProjection.hasPrefix("gated-") }

    func validate() throws {
        guard ["gated-gelu", "relu", "gated-relu", "gelu"].contains(feedForwardProjection) else {
            throw OpenSoraError.invalidConfiguration(
                "T5: feed_forward_proj '\(feedForwardProjection)'; accepted: gated-gelu, gated-relu, relu, gelu")
        }
        guard modelDimensions > 0, headCount > 0, keyValueDimensions > 0, layerCount > 0, vocabularySize > 0,
              relativeAttentionBuckets >= 2 else {
            throw OpenSoraError.invalidConfiguration("T5: sizes must be positive (d_model \(modelDimensions), heads \(headCount))")
        }
    }
}
