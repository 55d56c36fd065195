import MLXTensor

/// Global-norm (L2) clipping as PyTorch's `clip_grad_norm_`: when the norm over all gradients
/// exceeds `maxNorm`, every gradient is scaled by maxNorm/(norm + 1e-6).
public func clipGradientNorm(_ grads: [String: Tensor], maxNorm: Float) throws -> (grads: [String: Tensor], norm: Float) {
    let total = grads.values.reduce(Tensor(0)) { $0 + $1.square().sum() }.sqrt()
    let norm = try total.item()
    let coefficient = maxNorm / (norm + 1e-6)
    guard coefficient < 1 else { return (grads, norm) }
    return (grads.mapValues { $0 * coefficient }, norm)
}
