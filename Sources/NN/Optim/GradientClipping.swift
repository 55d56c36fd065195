import MLXTensor

/// Global-norm (L2) clipping as PyTorch's `clip_grad_norm_`: when the norm over all gradients
/// exceeds `maxNorm`, every gradient is scaled by maxNorm/(norm + 1e-6). The squares are summed in path order:
/// a dictionary's order changes from process to process, and with it the norm's last bit (and a resume's exactness).
public func clipGradientNorm(_ grads: [String: Tensor], maxNorm: Float) throws -> (grads: [String: Tensor], norm: Float) {
    let total = grads.keys.sorted().reduce(Tensor(0)) { $0 + grads[$1]!.square().sum() }.sqrt()
    let norm = try total.item()
    let coefficient = maxNorm / (norm + 1e-6)
    guard coefficient < 1 else { return (grads, norm) }
    return (grads.mapValues { $0 * coefficient }, norm)
}
