// Reference: configs/opensora-v1-2/train/*.py and configs/vae/train/*.py@v1.2.0 (keys), scripts/train.py and
// scripts/train_vae.py@v1.2.0 (`cfg.get` defaults, the values used when a key is absent); spec/training.md §2, §9–13.

/// One training run, typed: what both trainers read. Keys are the reference's (snake_case), except that the
/// optimizer's are grouped under `optimizer` and the VAE losses under `vae_loss`; the additions are marked.
public struct TrainingConfig: Codable, Equatable, Sendable {
    /// Added: which trainer this config is for.
    public var trainer: TrainerKind = .diffusion
    public var dataset = Dataset()
    /// Per-GPU bucket table; required by VariableVideoTextDataset.
    public var bucketConfig: BucketConfig?
    public var numWorkers = 4
    public var numBucketBuildWorkers = 1
    public var dtype: TrainingDType = .bf16
    public var plugin: ParallelPlugin = .zero2
    public var spSize = 1
    public var gradCheckpoint = false
    public var model = Model()
    /// The frozen VAE encoder (diffusion training from videos).
    public var vae: VAE?
    public var textEncoder: TextEncoder?
    public var scheduler: Scheduler?
    public var maskRatios: MaskRatios?
    /// Precomputed-feature training (stage1_feat.py, spec/training.md §12.2).
    public var loadVideoFeatures = false
    public var loadTextFeatures = false
    public var vaeOutChannels = 4
    /// train.py reads this key; stage1_feat.py writes `model_max_length`, which train.py ignores.
    public var textEncoderModelMaxLength = 300
    public var textEncoderOutputDim = 4096
    public var vaeLoss: VAELoss?
    /// train_vae.py's optional discriminator (`discriminator=dict(type=…)`); nil, as in every v1.2 config, trains without one.
    public var discriminator: Discriminator?
    public var optimizer = Optimizer()
    /// Linear warm-up length in optimizer steps; nil = none.
    public var warmupSteps: Int?
    /// Global L2 clipping norm; 0 = off.
    public var gradClip = 0.0
    /// nil = no EMA (the VAE trainer keeps none).
    public var emaDecay: Double? = 0.9999
    public var epochs = 1000
    /// Added: stop after this many optimizer steps in all (tiny runs, recipes); nil = run every epoch.
    public var maxSteps: Int?
    public var logEvery = 1
    /// 0 = never.
    public var ckptEvery = 0
    /// Added: eval-loss cadence in steps; 0 = never.
    public var evalEvery = 0
    /// eval_loss.py's bucket list (batch sizes only); nil = the training `bucket_config` (trainer) or the
    /// eval_loss.py table (`opensora eval loss`).
    public var evalBucketConfig: BucketConfig?
    /// eval_loss.py's `num_eval_timesteps`.
    public var numEvalTimesteps = 10
    /// Per-GPU batch size of the VAE trainer (the diffusion trainer's come from the buckets).
    public var batchSize: Int?
    /// Added: micro-batches per optimizer step.
    public var gradAccumulationSteps = 1
    public var seed: UInt64 = 1024
    public var outputs = "outputs"
    public var wandb = false
    /// A checkpoint folder to resume from (`--load`).
    public var load: String?
    public var startFromScratch = false
    /// Added: checkpoints kept on disk (older ones are deleted after a new one is complete); nil = all.
    public var keepLastCheckpoints: Int?

    public init() {}

    enum CodingKeys: String, StrictCodingKey {
        case trainer, dataset, bucketConfig = "bucket_config", numWorkers = "num_workers"
        case numBucketBuildWorkers = "num_bucket_build_workers", dtype, plugin, spSize = "sp_size"
        case gradCheckpoint = "grad_checkpoint", model, vae, textEncoder = "text_encoder", scheduler, maskRatios = "mask_ratios"
        case loadVideoFeatures = "load_video_features", loadTextFeatures = "load_text_features", vaeOutChannels = "vae_out_channels"
        case textEncoderModelMaxLength = "text_encoder_model_max_length", textEncoderOutputDim = "text_encoder_output_dim"
        case vaeLoss = "vae_loss", discriminator, optimizer, warmupSteps = "warmup_steps", gradClip = "grad_clip", emaDecay = "ema_decay"
        case epochs, maxSteps = "max_steps", logEvery = "log_every", ckptEvery = "ckpt_every", evalEvery = "eval_every"
        case evalBucketConfig = "eval_bucket_config", numEvalTimesteps = "num_eval_timesteps", batchSize = "batch_size"
        case gradAccumulationSteps = "grad_accumulation_steps", seed, outputs, wandb, load
        case startFromScratch = "start_from_scratch", keepLastCheckpoints = "keep_last_checkpoints"
    }

    /// The reference's flat names that moved, for the unknown-key hint.
    static let movedKeys = ["lr": "optimizer.lr", "adam_eps": "optimizer.eps", "weight_decay": "optimizer.weight_decay",
                            "perceptual_loss_weight": "vae_loss.perceptual_loss_weight", "kl_loss_weight": "vae_loss.kl_loss_weight",
                            "mixed_strategy": "vae_loss.mixed_strategy", "mixed_image_ratio": "vae_loss.mixed_image_ratio",
                            "use_real_rec_loss": "vae_loss.use_real_rec_loss", "use_z_rec_loss": "vae_loss.use_z_rec_loss",
                            "use_image_identity_loss": "vae_loss.use_image_identity_loss", "num_frames": "dataset.num_frames",
                            "image_size": "dataset.image_size", "model_max_length": "text_encoder_model_max_length",
                            "discriminator_factor": "vae_loss.discriminator_factor", "discriminator_start": "vae_loss.discriminator_start",
                            "generator_factor": "vae_loss.generator_factor", "generator_loss_type": "vae_loss.generator_loss_type",
                            "discriminator_loss_type": "vae_loss.discriminator_loss_type", "lecam_loss_weight": "vae_loss.lecam_loss_weight",
                            "gradient_penalty_loss_weight": "vae_loss.gradient_penalty_loss_weight"]
}
