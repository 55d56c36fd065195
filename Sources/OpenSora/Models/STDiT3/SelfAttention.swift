// Reference: opensora/models/layers/blocks.py@v1.2.0 (Attention, SeqParallelAttention, LlamaRMSNorm);
// spec/stdit3.md §5.9, spec/parallelism.md §3.2.
import MLXTensor
import NN

/// Multi-head self-attention with per-head RMSNorm on q and k (eps 1e-6), and rotary embedding
/// after the norm when `rope` is set (temporal blocks).
public final class SelfAttention: Module {
    public let qkv: Linear
    @Child(key: "q_norm") public var queryNorm: RMSNorm?
    @Child(key: "k_norm") public var keyNorm: RMSNorm?
    public let proj: Linear
    public let headCount: Int
    /// The model's rotary embedding (not a child: the reference holds only its function).
    let rope: SharedModule<RotaryEmbedding>?
    /// Ulysses sequence parallelism: each rank holds 1/p of the tokens and exchanges heads for tokens
    /// around the attention (spatial blocks only; the model sets it).
    public var sequenceParallel: ParallelGroup = .single

    public init(dimensions: Int, headCount: Int, qkNorm: Bool, rope: RotaryEmbedding?, key: RandomKey) {
        self.headCount = headCount
        self.rope = rope.map(SharedModule.init)
        let keys = key.split(into: 2)
        qkv = Linear(dimensions, 3 * dimensions, key: keys[0])
        proj = Linear(dimensions, dimensions, key: keys[1])
        super.init()
        queryNorm = qkNorm ? RMSNorm(dimensions / headCount, eps: 1e-6) : nil
        keyNorm = qkNorm ? RMSNorm(dimensions / headCount, eps: 1e-6) : nil
    }

    /// [B, L, C] → [B, L, C]; under sequence parallelism L is this rank's share of the tokens.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        let (b, l, c) = (x.dim(0), x.dim(1), x.dim(2))
        let d = c / headCount, sp = sequenceParallel
        // [B, L, 3, H, D]; with p ranks, all-to-all to all L·p tokens of H/p heads (norms are per head).
        var qkv = qkv(x).reshaped(b, l, 3, headCount, d)
        if !sp.isSingle { qkv = sp.exchange(qkv, scatterAxis: 3, gatherAxis: 1) }
        let parts = qkv.transposedContiguous(2, 0, 3, 1, 4).split(parts: 3, axis: 0)
        var q = parts[0].squeezed([0]), k = parts[1].squeezed([0])
        let v = parts[2].squeezed([0])
        if let queryNorm, let keyNorm {
            q = queryNorm(q)
            k = keyNorm(k)
        }
        if let rope = rope?.module {
            q = rope(q)
            k = rope(k)
        }
        var o = scaledDotProductAttention(queries: q, keys: k, values: v, scale: 1 / Float(d).squareRoot())
            .transposedContiguous(0, 2, 1, 3)
        if !sp.isSingle { o = sp.exchange(o, scatterAxis: 1, gatherAxis: 2) }
        return proj(o.reshaped(b, l, c))
    }
}
