// Reference: configs/vae/train/stage{1,2,3}.py@v1.2.0, scripts/train_vae.py@v1.2.0 (cfg.get defaults);
// spec/training.md §13.
import OpenSora

/// One VAE-training stage's settings under the stage files' names: which losses are added, whether
/// the spatial (2-D) VAE is frozen, the mixed-length rule and the loss weights.
public struct VAETrainingStage: ModelConfig {
    /// Clip length the dataset reads (17 for stages 1–2, 33 for stage 3).
    public var numFrames = 17
    /// `freeze_vae_2d`: the spatial VAE's parameters get no gradient.
    public var freezeSpatialVAE = false
    /// Added (`model.freeze_encoder`, not in the reference): both encoders and their quant convs get no gradient, so
    /// the latents stay as they are while the decoders are fine-tuned (a diffusion model trained on them stays valid).
    public var freezeEncoders = false
    /// Added (`model.vae_2d_only`): the 2-D VAE alone — each frame encoded and decoded by it, the temporal VAE
    /// bypassed and frozen — for a run with no pretrained 2-D VAE to start the reference's stage 1 from.
    public var spatialOnly = false
    public var mixedStrategy: MixedLengthStrategy? = nil
    public var mixedImageRatio = 0.0
    /// Adds the pixel NLL and the weighted KL.
    public var useRealRecLoss = false
    /// Adds the NLL of the temporal VAE's reconstruction of the spatial latents.
    public var useZRecLoss = false
    /// Adds, for single-frame batches only, the NLL between the spatial latent and the temporal latent.
    public var useImageIdentityLoss = false
    /// Added (`use_keyframe_identity_loss`): for every batch, the NLL between each temporal latent frame and the
    /// spatial latent of the last frame it covers (`VideoVAE.keyframes`); on one frame it is the identity loss.
    public var useKeyframeIdentityLoss = false
    public var perceptualLossWeight: Float = 0.1
    public var klLossWeight: Float = 1e-6
    public var logvarInit: Float = 0
    public var pixelLoss = PixelLoss.l1

    enum CodingKeys: String, CodingKey {
        case numFrames = "num_frames", freezeSpatialVAE = "freeze_vae_2d", freezeEncoders = "freeze_encoder", spatialOnly = "vae_2d_only", mixedStrategy = "mixed_strategy"
        case mixedImageRatio = "mixed_image_ratio", useRealRecLoss = "use_real_rec_loss", useZRecLoss = "use_z_rec_loss"
        case useImageIdentityLoss = "use_image_identity_loss", useKeyframeIdentityLoss = "use_keyframe_identity_loss"
        case perceptualLossWeight = "perceptual_loss_weight"
        case klLossWeight = "kl_loss_weight", logvarInit = "logvar_init", pixelLoss = "pixel_loss"
    }

    public init() {}

    /// Stage 1: temporal VAE from scratch on a frozen 2-D VAE; z reconstruction + identity; 20 % images.
    public static let stage1: VAETrainingStage = {
        var s = VAETrainingStage()
        s.freezeSpatialVAE = true
        s.mixedStrategy = .videoImage
        s.mixedImageRatio = 0.2
        s.useZRecLoss = true
        s.useImageIdentityLoss = true
        return s
    }()

    /// Stage 2: as stage 1 with the 2-D VAE trainable and no identity loss.
    public static let stage2: VAETrainingStage = {
        var s = stage1
        s.freezeSpatialVAE = false
        s.useImageIdentityLoss = false
        return s
    }()

    /// Stage 3: pixel reconstruction + KL on random prefixes of 33-frame clips, everything trainable.
    public static let stage3: VAETrainingStage = {
        var s = VAETrainingStage()
        s.numFrames = 33
        s.mixedStrategy = .videoRandom
        s.useRealRecLoss = true
        return s
    }()

    /// The VAELoss this stage builds (train_vae.py passes these three settings).
    public var lossConfig: VAELossConfig {
        VAELossConfig(logvarInit: logvarInit, perceptualLossWeight: perceptualLossWeight, klLossWeight: klLossWeight, pixelLoss: pixelLoss)
    }

    /// The frames kept this step of a `frames`-frame clip for a uniform draw in [0, 1) (all without a strategy).
    public func keptFrames(of frames: Int, draw: Double) throws -> Int {
        guard let mixedStrategy else {
            try MixedLengthStrategy.validate(frames: frames, draw: draw)
            return frames
        }
        return try mixedStrategy.keptFrames(of: frames, draw: draw, imageRatio: mixedImageRatio)
    }

    /// Freezes (or unfreezes) the spatial VAE as the pipeline's constructor does for `freeze_vae_2d`, and the encoders.
    public func configure(_ vae: VideoVAE) {
        vae.frozenPrefixes.removeAll { $0 == Self.spatialPrefix || $0 == Self.temporalPrefix || Self.encoderPrefixes.contains($0) }
        if freezeSpatialVAE { vae.frozenPrefixes.append(Self.spatialPrefix) }
        if spatialOnly { vae.frozenPrefixes.append(Self.temporalPrefix) }
        if freezeEncoders { vae.frozenPrefixes += Self.encoderPrefixes }
    }

    static let spatialPrefix = "spatial_vae.", temporalPrefix = "temporal_vae."
    static let encoderPrefixes = ["spatial_vae.module.encoder.", "spatial_vae.module.quant_conv.", "temporal_vae.encoder.", "temporal_vae.quant_conv."]
}
