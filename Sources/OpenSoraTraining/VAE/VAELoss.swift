// Reference: opensora/models/vae/losses.py@v1.2.0 (VAELoss.forward); spec/training.md §13.4, §14 pitfall 13.
import Foundation
import MLXTensor
import OpenSora

/// VAELoss.forward's three scalars.
public struct VAELossTerms {
    /// Σ nll / (b·t), without `nllWeights`.
    public let nll: Tensor
    /// Σ (weights ·) nll / (b·t): what train_vae.py adds and logs as `nll_loss` / `z_nll_loss`.
    public let weightedNLL: Tensor
    /// kl_loss_weight · Σ_b KL_b / b, or 0 when the weight is not positive.
    public let weightedKL: Tensor
}

/// The VAE reconstruction loss: per-frame L1 (+ weighted LPIPS), an NLL under a constant
/// log-variance summed over every element and divided by the frame count (not a mean), and the
/// weighted KL of the temporal posterior against N(0, 1).
public struct VAELoss {
    public let config: VAELossConfig
    /// Called only when `config.perceptualLossWeight > 0` and the call does not opt out.
    public let perceptual: PerceptualLoss?

    public init(_ config: VAELossConfig, perceptual: PerceptualLoss? = nil) {
        self.config = config
        self.perceptual = perceptual
    }

    var usesPerceptual: Bool { config.perceptualLossWeight > 0 }

    /// `video` and `reconstruction` [B, C, T, H, W]; `nllWeights` broadcasts against the frames
    /// [B·T, C, H, W] (frame index b·T + t); `noPerceptual` is the reference's flag for latent targets.
    public func callAsFunction(
        _ video: Tensor, _ reconstruction: Tensor, posterior: DiagonalGaussian, nllWeights: Tensor? = nil,
        noPerceptual: Bool = false
    ) throws -> VAELossTerms {
        try video.checked()
        try reconstruction.checked()
        guard video.ndim == 5, video.shape == reconstruction.shape else {
            throw VAETrainingError.shapeMismatch(
                "video \(video.shape) and reconstruction \(reconstruction.shape) must both be [B, C, T, H, W]")
        }
        let real = Self.frames(video), fake = Self.frames(reconstruction)
        let difference = real - fake
        var recon = config.pixelLoss == .l1 ? difference.abs() : difference.square()
        if usesPerceptual && !noPerceptual {
            recon = recon + config.perceptualLossWeight * (try perceptualDistance(real, fake))
        }
        let logvar = config.logvarInit
        let nll = recon / Float(Foundation.exp(Double(logvar))) + logvar
        let frameCount = Float(real.dim(0))
        let weighted = nllWeights.map { $0 * nll } ?? nll
        var kl = Tensor(Float(0))
        if config.klLossWeight > 0 {
            let perSample = posterior.kl()
            kl = perSample.sum() / Float(perSample.dim(0)) * config.klLossWeight
        }
        return VAELossTerms(nll: nll.sum() / frameCount, weightedNLL: weighted.sum() / frameCount, weightedKL: kl)
    }

    /// LPIPS per frame, broadcast over [N, C, H, W]; single-channel frames are repeated to RGB.
    private func perceptualDistance(_ real: Tensor, _ fake: Tensor) throws -> Tensor {
        guard let perceptual else { throw VAETrainingError.perceptualLossMissing(weight: config.perceptualLossWeight) }
        let channels = real.dim(1)
        guard channels == 1 || channels == 3 else { throw VAETrainingError.perceptualChannels(channels) }
        let (a, b) = channels == 1 ? (real.repeated(3, axis: 1), fake.repeated(3, axis: 1)) : (real, fake)
        let distance = try perceptual(a, b).checked()
        guard distance.count == real.dim(0) else {
            throw VAETrainingError.shapeMismatch(
                "the perceptual loss gave shape \(distance.shape); expected one value per frame (\(real.dim(0)))")
        }
        return distance.reshaped(real.dim(0), 1, 1, 1)
    }

    /// [B, C, T, H, W] → [B·T, C, H, W] ("b c t h w -> (b t) c h w").
    static func frames(_ x: Tensor) -> Tensor {
        x.transposed(0, 2, 1, 3, 4).reshaped(x.dim(0) * x.dim(2), x.dim(1), x.dim(3), x.dim(4))
    }
}
