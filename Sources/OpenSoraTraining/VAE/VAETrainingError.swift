// Reference: opensora/models/vae/losses.py@v1.2.0 (VAELoss), scripts/train_vae.py@v1.2.0.

/// A VAE-training input or setting the reference would reject or mis-handle, named with what is accepted.
public enum VAETrainingError: Error, Equatable, CustomStringConvertible {
    /// Video and reconstruction differ in shape, or are not [B, C, T, H, W].
    case shapeMismatch(String)
    /// The perceptual weight is positive but no perceptual (LPIPS) network was given.
    case perceptualLossMissing(weight: Float)
    /// LPIPS takes 1- or 3-channel frames (the reference asserts channels in {1, 3}).
    case perceptualChannels(Int)
    /// A mixed-length draw outside [0, 1) or a clip without frames.
    case invalidMixedLength(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let m): "VAE loss: \(m)"
        case .perceptualLossMissing(let w):
            "VAE loss: perceptual_loss_weight is \(w) but no perceptual network is set; give one or set the weight to 0"
        case .perceptualChannels(let c): "VAE loss: the perceptual loss takes 1 or 3 channels, got \(c)"
        case .invalidMixedLength(let m): "mixed lengths: \(m)"
        }
    }
}
