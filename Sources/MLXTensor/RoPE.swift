import CMLX

/// Rotary position embedding over the last axis with positions along axis −2.
extension Tensor {
    /// `traditional` rotates interleaved pairs (2i, 2i+1), as rotary-embedding-torch does;
    /// otherwise the two halves. `freqs` (dims/2 inverse frequencies) overrides `base`.
    public func rope(dims: Int, traditional: Bool, base: Float = 10000, scale: Float = 1, offset: Int = 0,
                     freqs: Tensor? = nil) -> Tensor {
        Tensor.op([self] + [freqs].compactMap { $0 }) {
            cmlx_fast_rope($0, self.handle, cInt(dims), traditional ? 1 : 0, base, scale, cInt(offset), freqs?.handle)
        }
    }

    /// Rotates interleaved pairs (2i, 2i+1) of the last axis of self [..., L, D] by position·freqs[i],
    /// positions 0..L−1 (rotary-embedding-torch's rotate_queries_or_keys). On the CPU one threaded
    /// kernel pass whose gradient is the inverse rotation; elsewhere MLX ops in the reference's order.
    public func rotatedPairs(freqs: Tensor) -> Tensor {
        if let f = Tensor.failed(self, freqs) { return f }
        guard ndim >= 2, dim(-1) == 2 * freqs.count else {
            return Tensor(failure: .shapeMismatch("[rope] last axis of \(shape) must be 2 × \(freqs.count) frequencies"))
        }
        if CPUKernels.applies(to: self), freqs.dtype == .float32 {
            return Tensor.op(self, freqs) { cmlx_kernel_rope($0, self.handle, freqs.handle) }
        }
        let length = dim(-2), d = dim(-1)
        let angles = Tensor.arange(0, Double(length)).reshaped(length, 1) * freqs.asType(.float32).reshaped(1, -1)
        let cos = angles.cos().asType(dtype), sin = angles.sin().asType(dtype)
        let pairs = reshaped(Array(shape.dropLast()) + [d / 2, 2])
        let halves = pairs.split(parts: 2, axis: -1)
        let even = halves[0].squeezed([-1]), odd = halves[1].squeezed([-1])
        return Tensor.stack([even * cos - odd * sin, odd * cos + even * sin], axis: -1).reshaped(shape)
    }
}
