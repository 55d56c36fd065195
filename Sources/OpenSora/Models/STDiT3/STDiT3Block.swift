// Reference: opensora/models/stdit/stdit3.py@v1.2.0 (STDiT3Block); spec/stdit3.md §5.8.
import MLXTensor
import NN

/// Where a block attends: among the S tokens of each frame, or along time at each position.
public enum BlockAxis: Sendable { case spatial, temporal }

/// Timestep conditioning shared by all blocks of one forward pass.
public struct BlockConditioning {
    /// `t_block` output [B, 6C].
    public let t: Tensor
    /// For conditioning frames: the `t_block` output at t = 0 and the frame mask [B, T]
    /// (true = noisy frame using `t`, false = conditioning frame using `t0`).
    public let zero: (t0: Tensor, frameMask: Tensor)?

    public init(t: Tensor, zero: (t0: Tensor, frameMask: Tensor)? = nil) {
        self.t = t
        self.zero = zero
    }
}

/// One STDiT3 block: adaLN-single modulated self-attention (spatial or temporal), cross-attention to
/// the caption, modulated tanh-GELU MLP; frames with frame mask false are modulated from t = 0.
public final class STDiT3Block: Module {
    @Parameter(key: "scale_shift_table") public var scaleShiftTable: Tensor
    @Child(key: "attn") public var attention: SelfAttention
    @Child(key: "cross_attn") public var crossAttention: CrossAttention
    public let mlp: FeedForward
    public let axis: BlockAxis

    public init(hiddenSize: Int, headCount: Int, mlpHiddenSize: Int, qkNorm: Bool, axis: BlockAxis,
                rope: RotaryEmbedding?, key: RandomKey) {
        self.axis = axis
        let keys = key.split(into: 4)
        mlp = FeedForward(inputDimensions: hiddenSize, hiddenDimensions: mlpHiddenSize, key: keys[3])
        super.init()
        // randn(6, C)/√C, as STDiT3Block constructs it.
        scaleShiftTable = Tensor.normal([6, hiddenSize], key: keys[0]) / Float(hiddenSize).squareRoot()
        attention = SelfAttention(dimensions: hiddenSize, headCount: headCount, qkNorm: qkNorm, rope: axis == .temporal ? rope : nil,
                                  key: keys[1])
        crossAttention = CrossAttention(dimensions: hiddenSize, headCount: headCount, key: keys[2])
    }

    /// `x` [B, T·S, C] (frame-major tokens), the caption prepared once per forward pass.
    public func callAsFunction(_ x: Tensor, caption: CaptionTokens, conditioning c: BlockConditioning,
                               frames: Int, tokensPerFrame: Int) -> Tensor {
        if x.failure != nil { return x }
        if c.t.failure != nil { return c.t }
        let (b, n, ch) = (x.dim(0), x.dim(1), x.dim(2))
        let (t, s) = (frames, tokensPerFrame)
        let m = modulation(c.t, batch: b)
        let zero = c.zero.map { (m: modulation($0.t0, batch: b), mask: $0.frameMask) }
        /// `value` on noisy frames; on conditioning frames the same expression over the t = 0 modulation.
        func perFrame(_ value: Tensor, _ zeroValue: ([Tensor]) -> Tensor) -> Tensor {
            guard let zero else { return value }
            return t2iFrameSelect(zero.mask, value, zeroValue(zero.m), frames: t, tokensPerFrame: s)
        }

        let a = perFrame(x.layerNormModulated(shift: m[0], scale: m[1], eps: 1e-6)) {
            x.layerNormModulated(shift: $0[0], scale: $0[1], eps: 1e-6)
        }
        let o: Tensor
        switch axis {
        case .spatial:
            o = attention(a.reshaped(b * t, s, ch)).reshaped(b, n, ch)
        case .temporal:
            let perPosition = a.reshaped(b, t, s, ch).transposedContiguous(0, 2, 1, 3).reshaped(b * s, t, ch)
            o = attention(perPosition).reshaped(b, s, t, ch).transposedContiguous(0, 2, 1, 3).reshaped(b, n, ch)
        }
        var x = zero == nil ? x.addingGated(o, gate: m[2]) : x + perFrame(m[2] * o) { $0[2] * o }

        x = x + crossAttention(x, caption: caption)

        let f = mlp(perFrame(x.layerNormModulated(shift: m[3], scale: m[4], eps: 1e-6)) {
            x.layerNormModulated(shift: $0[3], scale: $0[4], eps: 1e-6)
        })
        return zero == nil ? x.addingGated(f, gate: m[5]) : x + perFrame(m[5] * f) { $0[5] * f }
    }

    /// scale_shift_table + t.reshape(B, 6, C), split into shift/scale/gate (msa), shift/scale/gate (mlp),
    /// each [B, 1, C].
    func modulation(_ t: Tensor, batch: Int) -> [Tensor] {
        (scaleShiftTable.expandedDims(0) + t.reshaped(batch, 6, -1)).split(parts: 6, axis: 1)
    }
}

/// Per-frame choice between two token tensors [B, T·S, C]: `value` where the frame mask is true,
/// `zero` (the t = 0 version) where it is false.
func t2iFrameSelect(_ frameMask: Tensor, _ value: Tensor, _ zero: Tensor, frames: Int, tokensPerFrame: Int) -> Tensor {
    let (b, n, c) = (value.dim(0), value.dim(1), value.dim(2))
    let mask = frameMask.asType(.bool).reshaped(b, frames, 1, 1)
    return Tensor.where(mask, value.reshaped(b, frames, tokensPerFrame, c), zero.reshaped(b, frames, tokensPerFrame, c))
        .reshaped(b, n, c)
}
