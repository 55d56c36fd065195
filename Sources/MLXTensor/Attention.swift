import CMLX

/// softmax(q·kᵀ·scale + mask)·v over [B, heads, L, headDim] (MLX fast SDPA).
/// `mask` is additive (float, −inf to block) or boolean (true = attend), broadcastable to [B, H, Lq, Lk].
public func scaledDotProductAttention(
    queries q: Tensor, keys k: Tensor, values v: Tensor, scale: Float, mask: Tensor? = nil
) -> Tensor {
    Tensor.op([q, k, v] + [mask].compactMap { $0 }) {
        cmlx_fast_sdpa($0, q.handle, k.handle, v.handle, scale, mask?.handle)
    }
}
