// Reference: scripts/train_vae.py@v1.2.0 (cfg.get("mixed_strategy"), cfg.get("use_real_rec_loss", False), …, and
// VideoTextDataset's num_frames default 16); configs/vae/train/stage{1,2,3}.py; spec/training.md §13.
extension VAETrainingStage {
    /// The stage a run config describes: `vae_loss` (the reference's flat loss keys), `model.freeze_vae_2d` and
    /// `dataset.num_frames`. A config that adds no loss term is refused (its loss would be a constant).
    public init(config: TrainingConfig) throws {
        let loss = config.vaeLoss ?? .init()
        self.init()
        numFrames = config.dataset.numFrames ?? 16
        freezeSpatialVAE = config.model.freezeVAE2D ?? false
        freezeEncoders = config.model.freezeEncoder ?? false
        spatialOnly = config.model.vae2DOnly ?? false
        mixedStrategy = loss.mixedStrategy
        mixedImageRatio = loss.mixedImageRatio
        useRealRecLoss = loss.useRealRecLoss
        useZRecLoss = loss.useZRecLoss
        useImageIdentityLoss = loss.useImageIdentityLoss
        useKeyframeIdentityLoss = loss.useKeyframeIdentityLoss
        perceptualLossWeight = Float(loss.perceptualLossWeight)
        klLossWeight = Float(loss.klLossWeight)
        logvarInit = Float(loss.logvarInit)
        pixelLoss = loss.pixelLoss
        if spatialOnly, freezeSpatialVAE || useZRecLoss || useImageIdentityLoss || useKeyframeIdentityLoss || !useRealRecLoss {
            throw ConfigError.invalidValue(path: "model.vae_2d_only", value: "true",
                                           accepted: "with use_real_rec_loss true, and freeze_vae_2d, use_z_rec_loss, use_image_identity_loss, "
                                               + "use_keyframe_identity_loss false (the temporal VAE is bypassed: there is only the 2-D VAE to train, on pixels)")
        }
        guard useRealRecLoss || useZRecLoss || useImageIdentityLoss || useKeyframeIdentityLoss else {
            throw ConfigError.invalidValue(path: "vae_loss", value: "no loss term",
                                           accepted: "at least one of use_real_rec_loss, use_z_rec_loss, use_image_identity_loss, "
                                               + "use_keyframe_identity_loss true")
        }
    }
}
