// Reference: the nested dicts of configs/opensora-v1-2/train/stage{1,2,3}.py, stage1_feat.py and
// configs/vae/train/stage{1,2,3}.py@v1.2.0 (`dataset`, `model`, `vae`, `text_encoder`, `scheduler`), key for key.

extension TrainingConfig {
    /// `dataset = dict(...)`; `data_path` is what `--data-path` sets.
    public struct Dataset: Codable, Equatable, Sendable {
        public var type: DatasetType = .variableVideoText
        public var dataPath: String?
        public var transformName: TransformName?
        /// VideoTextDataset only (VAE training): clip length and `(H, W)`.
        public var numFrames: Int?
        public var frameInterval = 1
        public var imageSize: [Int]?
        /// Added: keep up to this many MB of decoded files in memory between epochs (`DecodedMediaCache`); nil: none.
        public var cacheDecodedMB: Int?

        public init() {}

        enum CodingKeys: String, StrictCodingKey {
            case type, dataPath = "data_path", transformName = "transform_name", numFrames = "num_frames"
            case frameInterval = "frame_interval", imageSize = "image_size", cacheDecodedMB = "cache_decoded_mb"
        }

        /// The cache `cache_decoded_mb` asks for.
        public var decodedCache: DecodedMediaCache? { cacheDecodedMB.map { DecodedMediaCache(megabytes: $0) } }
    }

    /// A pretrained part named by its loader (`vae_2d`, `vae_temporal` of the VAE pipeline).
    public struct Pretrained: Codable, Equatable, Sendable {
        public var type: String
        public var fromPretrained: String?
        public var subfolder: String?
        public var localFilesOnly: Bool?
        /// VideoAutoencoderKL's `micro_batch_size`: frames per spatial VAE call (nil: all at once, its default).
        public var microBatchSize: Int?
        /// Added (VideoAutoencoderPipeline-tiny only): the part's size, under its config.json names: the spatial
        /// VAE's block_out_channels, layers_per_block, norm_num_groups; the temporal VAE's filters, num_res_blocks,
        /// channel_multipliers, num_groups.
        public var blockOutChannels: [Int]?
        public var layersPerBlock: Int?
        public var normNumGroups: Int?
        public var filters: Int?
        public var numResBlocks: Int?
        public var channelMultipliers: [Int]?
        public var numGroups: Int?

        public init(type: String, fromPretrained: String? = nil, subfolder: String? = nil, localFilesOnly: Bool? = nil) {
            (self.type, self.fromPretrained, self.subfolder, self.localFilesOnly) = (type, fromPretrained, subfolder, localFilesOnly)
        }

        enum CodingKeys: String, StrictCodingKey {
            case type, fromPretrained = "from_pretrained", subfolder, localFilesOnly = "local_files_only"
            case microBatchSize = "micro_batch_size"
            case blockOutChannels = "block_out_channels", layersPerBlock = "layers_per_block", normNumGroups = "norm_num_groups"
            case filters, numResBlocks = "num_res_blocks", channelMultipliers = "channel_multipliers", numGroups = "num_groups"
        }

        /// Whether any size key is set.
        var setsSize: Bool {
            blockOutChannels != nil || layersPerBlock != nil || normNumGroups != nil || filters != nil || numResBlocks != nil
                || channelMultipliers != nil || numGroups != nil
        }
    }

    /// `model = dict(...)`: STDiT3's flags (diffusion) or the VAE pipeline's (VAE); absent flags keep the
    /// model's defaults. `from_pretrained` is what `--ckpt-path` sets.
    public struct Model: Codable, Equatable, Sendable {
        public var type: TrainedModelType = .stdit3XL2
        public var fromPretrained: String?
        public var qkNorm: Bool?
        /// Accepted for the reference's configs; kernels are chosen by the runtime here.
        public var enableFlashAttn: Bool?
        public var enableLayernormKernel: Bool?
        public var freezeYEmbedder: Bool?
        public var skipYEmbedder: Bool?
        public var onlyTrainTemporal: Bool?
        public var freezeVAE2D: Bool?
        /// Added (VAE trainer): freeze both encoders, train the decoders (`VAETrainingStage.freezeEncoders`).
        public var freezeEncoder: Bool?
        /// Added (VAE trainer): train the 2-D VAE alone, frames in and out, the temporal VAE bypassed and frozen —
        /// the stage before the reference's stage 1, which starts from a pretrained 2-D VAE (`VAETrainingStage.spatialOnly`).
        public var vae2DOnly: Bool?
        /// Added (VAE trainer, from the seed only): the starting bias of both posteriors' log-variance channels, so a
        /// VAE trained from scratch starts with latents its decoder can read (a log-variance near 0 buries the small
        /// initial means in unit noise, and the decoder learns to ignore them).
        public var posteriorLogvarInit: Float?
        public var calLoss: Bool?
        public var vae2D: Pretrained?
        public var vaeTemporal: Pretrained?
        /// Added (STDiT3-tiny only): the width, depth and head count of the small model.
        public var hiddenSize: Int?
        public var depth: Int?
        public var numHeads: Int?
        /// STDiT3's `patch_size` (T, H, W), a constructor argument of the reference's model (default (1, 2, 2)).
        public var patchSize: [Int]?

        public init() {}

        enum CodingKeys: String, StrictCodingKey {
            case type, fromPretrained = "from_pretrained", qkNorm = "qk_norm", enableFlashAttn = "enable_flash_attn"
            case enableLayernormKernel = "enable_layernorm_kernel", freezeYEmbedder = "freeze_y_embedder"
            case skipYEmbedder = "skip_y_embedder", onlyTrainTemporal = "only_train_temporal", freezeVAE2D = "freeze_vae_2d"
            case freezeEncoder = "freeze_encoder", vae2DOnly = "vae_2d_only", posteriorLogvarInit = "posterior_logvar_init", calLoss = "cal_loss", vae2D = "vae_2d", vaeTemporal = "vae_temporal"
            case hiddenSize = "hidden_size", depth, numHeads = "num_heads", patchSize = "patch_size"
        }
    }

    /// `vae = dict(...)`: the frozen encoder of diffusion training. The configs' internal path
    /// (`/mnt/jfs/...`) is replaced by the released weights' name (spec/training.md §14.14).
    public struct VAE: Codable, Equatable, Sendable {
        public var type: FrozenVAEType = .openSoraV1_2
        /// The weights (a folder or file); required for OpenSoraVAE_V1_2, optional for tiny (else drawn from the seed).
        public var fromPretrained: String?
        public var microFrameSize = 17
        public var microBatchSize = 4

        public init() {}

        enum CodingKeys: String, StrictCodingKey {
            case type, fromPretrained = "from_pretrained", microFrameSize = "micro_frame_size", microBatchSize = "micro_batch_size"
        }
    }

    /// `text_encoder = dict(...)`.
    public struct TextEncoder: Codable, Equatable, Sendable {
        public var type: TextEncoderType = .t5
        /// A T5 folder (`type: t5`); `type: tiny` needs none.
        public var fromPretrained: String?
        public var modelMaxLength = 300
        public var shardformer: Bool?
        public var localFilesOnly: Bool?

        public init() {}

        enum CodingKeys: String, StrictCodingKey {
            case type, fromPretrained = "from_pretrained", modelMaxLength = "model_max_length", shardformer
            case localFilesOnly = "local_files_only"
        }
    }

    /// `scheduler = dict(type="rflow", ...)` (the training half, spec/training.md §7).
    public struct Scheduler: Codable, Equatable, Sendable {
        public var type = "rflow"
        public var useTimestepTransform = true
        public var sampleMethod: TimestepSampleMethod = .logitNormal
        public var numTimesteps = 1000
        /// RFlowScheduler's `transform_scale`: multiplies the transform's ratio (> 1 moves training draws toward noise).
        public var transformScale = 1.0

        public init() {}

        enum CodingKeys: String, StrictCodingKey {
            case type, useTimestepTransform = "use_timestep_transform", sampleMethod = "sample_method", numTimesteps = "num_timesteps"
            case transformScale = "transform_scale"
        }
    }

    /// HybridAdam in AdamW mode (spec/training.md §9.1); the reference's flat `lr`, `adam_eps`, `weight_decay`.
    public struct Optimizer: Codable, Equatable, Sendable {
        public var lr = 1e-4
        /// `adam_eps`: code default 1e-8, every v1.2 diffusion config 1e-15.
        public var eps = 1e-8
        public var weightDecay = 0.0
        public var betas = [0.9, 0.999]

        public init() {}

        enum CodingKeys: String, StrictCodingKey { case lr, eps, weightDecay = "weight_decay", betas }
    }

    /// The VAE trainer's loss keys (top level in configs/vae/train/*.py; grouped here).
    public struct VAELoss: Codable, Equatable, Sendable {
        public var perceptualLossWeight = 0.1
        public var klLossWeight = 1e-6
        public var logvarInit = 0.0
        public var mixedStrategy: MixedLengthStrategy?
        public var mixedImageRatio = 0.0
        public var useRealRecLoss = false
        public var useZRecLoss = false
        public var useImageIdentityLoss = false
        /// Added: the identity term on videos too — each temporal latent frame against the spatial latent of the last
        /// frame it covers — so latent frames keep one meaning whatever their position (docs/default-model.md).
        public var useKeyframeIdentityLoss = false
        /// Added: the LPIPS weights, `[head]` or `[head, vgg16]` (taming's vgg.pth or a whole LPIPS state_dict, then
        /// torchvision's vgg16 when the trunk is not in it); nil leaves the perceptual term off.
        public var lpipsWeights: [String]?
        /// Added: the per-pixel distance of the reconstruction term, l1 (the reference's) or l2.
        public var pixelLoss: PixelLoss = .l1
        /// The adversarial terms' settings (used only with a `discriminator`); defaults are train_vae.py's cfg.get values.
        public var discriminatorFactor = 1.0
        public var discriminatorStart = -1
        public var generatorFactor = 0.5
        public var generatorLossType: GeneratorLossType = .hinge
        public var discriminatorLossType: DiscriminatorLossType = .hinge
        /// Accepted only as null or 0: train_vae.py passes no LeCam EMA or real video, so a positive weight fails there.
        public var lecamLossWeight: Double?
        public var gradientPenaltyLossWeight: Double?

        public init() {}

        enum CodingKeys: String, StrictCodingKey {
            case perceptualLossWeight = "perceptual_loss_weight", klLossWeight = "kl_loss_weight", logvarInit = "logvar_init"
            case mixedStrategy = "mixed_strategy", mixedImageRatio = "mixed_image_ratio", useRealRecLoss = "use_real_rec_loss"
            case useZRecLoss = "use_z_rec_loss", useImageIdentityLoss = "use_image_identity_loss", lpipsWeights = "lpips_weights"
            case useKeyframeIdentityLoss = "use_keyframe_identity_loss"
            case pixelLoss = "pixel_loss"
            case discriminatorFactor = "discriminator_factor", discriminatorStart = "discriminator_start", generatorFactor = "generator_factor"
            case generatorLossType = "generator_loss_type", discriminatorLossType = "discriminator_loss_type"
            case lecamLossWeight = "lecam_loss_weight", gradientPenaltyLossWeight = "gradient_penalty_loss_weight"
        }
    }
}
