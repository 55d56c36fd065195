// Reference: transformers models/t5/modeling_t5.py (T5EncoderModel, T5Stack, T5Block, T5Attention,
// T5LayerFF, T5DenseGatedActDense, T5LayerNorm); spec/t5.md §5–6.
import MLXTensor
import NN

/// Projects with the weight cast to the activations' dtype: bf16-stored weights run in float32 on
/// CPU without keeping an fp32 copy (notes/runtime-mlx-x86.md §4).
func project(_ x: Tensor, _ layer: Linear) -> Tensor { x.matmul(layer.weight.asType(x.dtype).T) }

/// RMS layer norm without mean subtraction (T5LayerNorm), statistics in float32.
func t5Norm(_ x: Tensor, _ norm: RMSNorm) -> Tensor { x.rmsNorm(weight: norm.weight.asType(x.dtype), eps: norm.eps) }

/// Unscaled multi-head self-attention with an additive position bias + mask.
public final class T5Attention: Module {
    public let q: Linear
    public let k: Linear
    public let v: Linear
    public let o: Linear
    @Child(key: "relative_attention_bias") public var relativeAttentionBias: Embedding?
    let headCount: Int
    let headDimensions: Int

    init(_ c: T5Config, hasRelativeBias: Bool, key: RandomKey) {
        let inner = c.headCount * c.keyValueDimensions
        let keys = key.split(into: 5)
        q = Linear(c.modelDimensions, inner, bias: false, key: keys[0])
        k = Linear(c.modelDimensions, inner, bias: false, key: keys[1])
        v = Linear(c.modelDimensions, inner, bias: false, key: keys[2])
        o = Linear(inner, c.modelDimensions, bias: false, key: keys[3])
        headCount = c.headCount
        headDimensions = c.keyValueDimensions
        super.init()
        relativeAttentionBias = hasRelativeBias
            ? Embedding(count: c.relativeAttentionBuckets, dimensions: c.headCount, key: keys[4]) : nil
    }

    /// `x` [B, L, D], `bias` [B or 1, H, L, L] → [B, L, D]
    func callAsFunction(_ x: Tensor, bias: Tensor) -> Tensor {
        if x.failure != nil { return x }
        let (b, l) = (x.dim(0), x.dim(1))
        func heads(_ t: Tensor) -> Tensor { t.reshaped(b, l, headCount, headDimensions).transposed(0, 2, 1, 3) }
        let out = scaledDotProductAttention(queries: heads(project(x, q)), keys: heads(project(x, k)), values: heads(project(x, v)),
                                            scale: 1, mask: bias)
        return project(out.transposed(0, 2, 1, 3).reshaped(b, l, headCount * headDimensions), o)
    }
}

/// `layer.0`: pre-norm self-attention sublayer.
public final class T5SelfAttentionLayer: Module {
    @Child(key: "SelfAttention") public var attention: T5Attention
    @Child(key: "layer_norm") public var norm: RMSNorm

    init(_ c: T5Config, hasRelativeBias: Bool, key: RandomKey) {
        super.init()
        attention = T5Attention(c, hasRelativeBias: hasRelativeBias, key: key)
        norm = RMSNorm(c.modelDimensions, eps: Float(c.layerNormEpsilon))
    }

    func callAsFunction(_ h: Tensor, bias: Tensor) -> Tensor { h.failure != nil ? h : h + attention(t5Norm(h, norm), bias: bias) }
}

/// The gated feed-forward (`wi_0` activated with tanh-GELU, times `wi_1`, then `wo`), or the plain one.
public final class T5FeedForward: Module {
    @Child(key: "wi_0") public var gateProjection: Linear?
    @Child(key: "wi_1") public var upProjection: Linear?
    @Child(key: "wi") public var inputProjection: Linear?
    public let wo: Linear
    let activation: (Tensor) -> Tensor

    init(_ c: T5Config, key: RandomKey) {
        let keys = key.split(into: 3)
        wo = Linear(c.feedForwardDimensions, c.modelDimensions, bias: false, key: keys[0])
        activation = c.feedForwardProjection.hasSuffix("gelu") ? { $0.geluTanh() } : { $0.relu() }
        super.init()
        // All three assigned (nil where absent): an unassigned @Child traps when read.
        gateProjection = c.isGated ? Linear(c.modelDimensions, c.feedForwardDimensions, bias: false, key: keys[1]) : nil
        upProjection = c.isGated ? Linear(c.modelDimensions, c.feedForwardDimensions, bias: false, key: keys[2]) : nil
        inputProjection = c.isGated ? nil : Linear(c.modelDimensions, c.feedForwardDimensions, bias: false, key: keys[1])
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        if let gateProjection, let upProjection {
            return project(activation(project(x, gateProjection)) * project(x, upProjection), wo)
        }
        guard let inputProjection else { return Tensor(failure: .invalidArgument("[T5FeedForward] no input projection")) }
        return project(activation(project(x, inputProjection)), wo)
    }
}

/// `layer.1`: pre-norm feed-forward sublayer (`DenseReluDense`).
public final class T5FeedForwardLayer: Module {
    @Child(key: "DenseReluDense") public var feedForward: T5FeedForward
    @Child(key: "layer_norm") public var norm: RMSNorm

    init(_ c: T5Config, key: RandomKey) {
        super.init()
        feedForward = T5FeedForward(c, key: key)
        norm = RMSNorm(c.modelDimensions, eps: Float(c.layerNormEpsilon))
    }

    func callAsFunction(_ h: Tensor) -> Tensor { h.failure != nil ? h : h + feedForward(t5Norm(h, norm)) }
}

/// One encoder block: `layer.0` attention, `layer.1` feed-forward.
public final class T5Block: Module {
    @Child(key: "layer") var layers: [Module]
    // Typed views of `layers` (not reflected: the tree lists them once, as `layer.0`/`layer.1`).
    private let attention: SharedModule<T5SelfAttentionLayer>
    private let feedForward: SharedModule<T5FeedForwardLayer>

    init(_ c: T5Config, hasRelativeBias: Bool, key: RandomKey) {
        let keys = key.split(into: 2)
        attention = SharedModule(T5SelfAttentionLayer(c, hasRelativeBias: hasRelativeBias, key: keys[0]))
        feedForward = SharedModule(T5FeedForwardLayer(c, key: keys[1]))
        super.init()
        layers = [attention.module, feedForward.module]
    }

    var relativeAttentionBias: Embedding? { attention.module.attention.relativeAttentionBias }

    func callAsFunction(_ h: Tensor, bias: Tensor) -> Tensor { feedForward.module(attention.module(h, bias: bias)) }
}

/// The encoder stack: embedding (tied to `shared`), blocks, final norm.
public final class T5Stack: Module {
    @Child(key: "embed_tokens") public var embedTokens: Embedding
    public let block: [T5Block]
    @Child(key: "final_layer_norm") public var finalNorm: RMSNorm
    let config: T5Config

    init(_ c: T5Config, embedding: Embedding, key: RandomKey) {
        config = c
        let keys = key.split(into: max(c.layerCount, 1))
        block = (0..<c.layerCount).map { T5Block(c, hasRelativeBias: $0 == 0, key: keys[$0]) }
        super.init()
        embedTokens = embedding
        finalNorm = RMSNorm(c.modelDimensions, eps: Float(c.layerNormEpsilon))
    }
}

/// Hugging Face's T5EncoderModel: token ids + attention mask → last hidden state [B, L, d_model].
/// `shared.weight` and `encoder.embed_tokens.weight` are one tensor (checkpoints may hold either).
public final class T5EncoderModel: Module {
    public let shared: Embedding
    public let encoder: T5Stack
    public let config: T5Config

    /// Parameters as PyTorch's layer constructors draw them; HF's `_init_weights` is
    /// `initializeWeights(key:)`.
    public init(_ config: T5Config, key: RandomKey) throws {
        try config.validate()
        self.config = config
        let keys = key.split(into: 2)
        shared = Embedding(count: config.vocabularySize, dimensions: config.modelDimensions, key: keys[0])
        encoder = T5Stack(config, embedding: shared, key: keys[1])
        super.init()
    }

    override public var parameterAliases: [String: String] { ["encoder.embed_tokens.weight": "shared.weight"] }

    /// `ids` [B, L] integer, `mask` [B, L] (1 = token, 0 = padding) → [B, L, d_model] in `dtype`.
    /// Padded positions get values too (dropped later by the caption mask, as in the reference).
    public func callAsFunction(ids: Tensor, mask: Tensor, dtype: DType = .float32) throws -> Tensor {
        try ids.checked()
        try mask.checked()
        guard ids.ndim == 2, mask.shape == ids.shape else {
            throw OpenSoraError.invalidInput("T5: ids \(ids.shape) and mask \(mask.shape) must both be [B, L]")
        }
        let l = ids.dim(1)
        var h = shared(ids.asType(.int32)).asType(dtype)
        guard let table = encoder.block.first?.relativeAttentionBias else {
            throw OpenSoraError.invalidConfiguration("T5: block 0 has no relative_attention_bias")
        }
        // [L, L] buckets → [1, H, L, L] bias, plus the additive padding mask [B, 1, 1, L].
        let grid = t5BucketGrid(length: l, buckets: config.relativeAttentionBuckets, maxDistance: config.relativeAttentionMaxDistance)
        let positionBias = table(grid).asType(dtype).transposed(2, 0, 1).expandedDims(0)
        let padding = (1 - mask.asType(dtype)).reshaped(mask.dim(0), 1, 1, l) * -Float.greatestFiniteMagnitude
        let bias = positionBias + padding
        for block in encoder.block {
            h = block(h, bias: bias)
        }
        return try t5Norm(h, encoder.finalNorm).checked()
    }
}
