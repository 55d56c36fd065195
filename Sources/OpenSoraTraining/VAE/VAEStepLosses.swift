// Reference: scripts/train_vae.py@v1.2.0 (the "loss:" blocks of the training loop); spec/training.md §13.4.
import MLXTensor
import OpenSora

/// One step's losses under the script's log names; `total` is what is back-propagated.
public struct VAEStepLosses {
    public var total: Tensor
    /// `nll_loss`: pixel reconstruction (L1 + LPIPS), always computed for the log.
    public let nll: Tensor
    /// `kl_loss`: the weighted KL of the (last chunk's) temporal posterior.
    public let kl: Tensor
    /// `z_nll_loss`: the temporal VAE's reconstruction of the spatial latents, without LPIPS.
    public let zNLL: Tensor
    /// `image_identity_loss`: only on single-frame batches with the flag on (nil otherwise).
    public let imageIdentity: Tensor?
    /// `keyframe_identity_loss` (added): on multi-frame batches with `use_keyframe_identity_loss` (nil otherwise).
    public var keyframeIdentity: Tensor? = nil
    /// `adversarial_loss`: the generator's weighted GAN term, with a discriminator (nil otherwise).
    public var adversarial: Tensor? = nil

    /// The terms under train_vae.py's log names (the ones this step computed).
    public var named: [String: Tensor] {
        var terms = ["nll_loss": nll, "kl_loss": kl, "z_nll_loss": zNLL]
        if let imageIdentity { terms["image_identity_loss"] = imageIdentity }
        if let keyframeIdentity { terms["keyframe_identity_loss"] = keyframeIdentity }
        if let adversarial { terms["adversarial_loss"] = adversarial }
        return terms
    }
}

extension VAETrainingStage {
    /// The losses of one step for the clip `x` (after the mixed-length cut) and the training forward's
    /// output, added up as the stage's flags say; every term is computed for the log, used or not.
    public func stepLosses(_ x: Tensor, _ output: VideoVAETrainingOutput, loss: VAELoss) throws -> VAEStepLosses {
        let real = try loss(x, output.reconstruction, posterior: output.posterior)
        let latent = try loss(output.spatialLatents, output.latentReconstruction, posterior: output.posterior, noPerceptual: true)
        var total = Tensor(Float(0))
        if useRealRecLoss { total = total + real.weightedNLL + real.weightedKL }
        if useZRecLoss { total = total + latent.weightedNLL }
        var identity: Tensor?, keyframeIdentity: Tensor?
        let single = x.dim(2) == 1
        if (useImageIdentityLoss || useKeyframeIdentityLoss) && single {
            // x_z against z: for one frame the temporal latent should equal the spatial one.
            let terms = try loss(output.spatialLatents, output.z, posterior: output.posterior, noPerceptual: true)
            total = total + terms.weightedNLL
            identity = terms.weightedNLL
        } else if useKeyframeIdentityLoss {
            let targets = output.spatialLatents.take(Tensor(int32: output.keyframes.map { Int32($0) }), axis: 2)
            let terms = try loss(targets, output.z, posterior: output.posterior, noPerceptual: true)
            total = total + terms.weightedNLL
            keyframeIdentity = terms.weightedNLL
        }
        return VAEStepLosses(total: total, nll: real.weightedNLL, kl: real.weightedKL, zNLL: latent.weightedNLL,
                             imageIdentity: identity, keyframeIdentity: keyframeIdentity)
    }
}
