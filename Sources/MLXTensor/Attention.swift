import CMLX

/// softmax(q·kᵀ·scale + mask)·v over [B, heads, L, headDim] (MLX fast SDPA).
/// `mask` is additive (float, −inf to block) or boolean (true = attend), broadcastable to [B, H, Lq, Lk].
public func scaledDotProductAttention(
    queries q: Tensor, keys k: Tensor, values v: Tensor, scale: Float, mask: Tensor? = nil
) -> Tensor {
    if let f = Tensor.failed(q, k, v, mask) { return f }
    // On the CPU, MLX's "fast" attention is its composed fallback with a scalar softmax; BLAS
    // products around the vectorised softmax kernel do the same math several times faster.
    if CPUKernels.applies(to: q), k.dtype == .float32, v.dtype == .float32 {
        if mask == nil, q.ndim == k.ndim, q.shape.dropLast(2) == k.shape.dropLast(2), k.shape == v.shape {
            return Tensor.op(q, k, v) { cmlx_kernel_attention($0, q.handle, k.handle, v.handle, scale) }
        }
        var scores = (q * scale).matmul(k.swappedAxes(-1, -2))
        if let mask {
            scores = mask.dtype == .bool ? Tensor.where(mask, scores, Tensor(-Float.infinity)) : scores + mask
        }
        return scores.softmax(axes: [-1]).matmul(v)
    }
    return Tensor.op([q, k, v] + [mask].compactMap { $0 }) {
        cmlx_fast_sdpa($0, q.handle, k.handle, v.handle, scale, mask?.handle)
    }
}
