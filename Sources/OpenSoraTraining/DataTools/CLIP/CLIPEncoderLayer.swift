// Reference: transformers models/clip/modeling_clip.py (CLIPAttention, CLIPMLP, CLIPEncoderLayer,
// CLIPEncoder); OpenAI clip/model.py (ResidualAttentionBlock, QuickGELU).
import MLXTensor
import NN

/// Multi-head self-attention with biased q/k/v/out projections, queries scaled by 1/√headDim.
public final class CLIPAttention: Module {
    @Child(key: "q_proj") public var queryProjection: Linear
    @Child(key: "k_proj") public var keyProjection: Linear
    @Child(key: "v_proj") public var valueProjection: Linear
    @Child(key: "out_proj") public var outputProjection: Linear
    public let headCount: Int

    init(_ config: CLIPTowerConfig, key: RandomKey) {
        headCount = config.headCount
        let keys = key.split(into: 4), d = config.hiddenSize
        super.init()
        queryProjection = Linear(d, d, key: keys[0])
        keyProjection = Linear(d, d, key: keys[1])
        valueProjection = Linear(d, d, key: keys[2])
        outputProjection = Linear(d, d, key: keys[3])
    }

    /// `x` [B, L, D]; `mask` additive, broadcastable to [B, heads, L, L] (the text tower's causal mask).
    public func callAsFunction(_ x: Tensor, mask: Tensor? = nil) -> Tensor {
        let (b, l, d) = (x.dim(0), x.dim(1), x.dim(2)), head = d / headCount
        func heads(_ t: Tensor) -> Tensor { t.reshaped(b, l, headCount, head).transposed(0, 2, 1, 3) }
        let attended = scaledDotProductAttention(
            queries: heads(queryProjection(x)), keys: heads(keyProjection(x)), values: heads(valueProjection(x)),
            scale: 1 / Float(head).squareRoot(), mask: mask)
        return outputProjection(attended.transposed(0, 2, 1, 3).reshaped(b, l, d))
    }
}

/// fc1 → quick_gelu → fc2.
public final class CLIPMLP: Module {
    public let fc1: Linear
    public let fc2: Linear

    init(_ config: CLIPTowerConfig, key: RandomKey) {
        let keys = key.split(into: 2)
        fc1 = Linear(config.hiddenSize, config.intermediateSize, key: keys[0])
        fc2 = Linear(config.intermediateSize, config.hiddenSize, key: keys[1])
        super.init()
    }

    /// OpenAI's QuickGELU, x·σ(1.702x) (not the erf GELU).
    public static func quickGELU(_ x: Tensor) -> Tensor { x * (x * 1.702).sigmoid() }

    public func callAsFunction(_ x: Tensor) -> Tensor { fc2(Self.quickGELU(fc1(x))) }
}

/// Pre-LN block: x + attn(LN₁(x)), then + mlp(LN₂(·)).
public final class CLIPEncoderLayer: Module {
    @Child(key: "self_attn") public var selfAttention: CLIPAttention
    @Child(key: "layer_norm1") public var layerNorm1: LayerNorm
    public let mlp: CLIPMLP
    @Child(key: "layer_norm2") public var layerNorm2: LayerNorm

    init(_ config: CLIPTowerConfig, key: RandomKey) {
        let keys = key.split(into: 2)
        mlp = CLIPMLP(config, key: keys[1])
        super.init()
        selfAttention = CLIPAttention(config, key: keys[0])
        layerNorm1 = LayerNorm(config.hiddenSize, eps: config.layerNormEps)
        layerNorm2 = LayerNorm(config.hiddenSize, eps: config.layerNormEps)
    }

    public func callAsFunction(_ x: Tensor, mask: Tensor? = nil) -> Tensor {
        let h = x + selfAttention(layerNorm1(x), mask: mask)
        return h + mlp(layerNorm2(h))
    }
}

/// The stack of encoder layers (`encoder.layers.N`).
public final class CLIPEncoder: Module {
    public let layers: [CLIPEncoderLayer]

    init(_ config: CLIPTowerConfig, key: RandomKey) {
        layers = key.split(into: Swift.max(config.layerCount, 1)).prefix(config.layerCount).map { CLIPEncoderLayer(config, key: $0) }
        super.init()
    }

    public func callAsFunction(_ x: Tensor, mask: Tensor? = nil) -> Tensor {
        layers.reduce(x) { $0.failure != nil ? $0 : $1($0, mask: mask) }
    }
}
