import CMLX

/// Rotary position embedding over the last axis with positions along axis −2.
extension Tensor {
    /// `traditional` rotates interleaved pairs (2i, 2i+1), as rotary-embedding-torch does;
    /// otherwise the two halves. `freqs` (dims/2 inverse frequencies) overrides `base`.
    public func rope(dims: Int, traditional: Bool, base: Float = 10000, scale: Float = 1, offset: Int = 0,
                     freqs: Tensor? = nil) -> Tensor {
        Tensor.op([self] + [freqs].compactMap { $0 }) {
            cmlx_fast_rope($0, self.handle, Int32(dims), traditional ? 1 : 0, base, scale, Int32(offset), freqs?.handle)
        }
    }
}
