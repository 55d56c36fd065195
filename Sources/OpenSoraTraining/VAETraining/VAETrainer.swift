// Reference: scripts/train_vae.py@v1.2.0 (VideoTextDataset + DistributedSampler, the mixed-length cut, the loss
// blocks and their log_dict, HybridAdam over the trainable parameters, no EMA, the optional discriminator);
// spec/training.md §13.
import Foundation
import MLXTensor
import NN
import OpenSora

/// `opensora train-vae`: the video VAE pipeline trained stage by stage (which parts and losses, VAETrainingStage) on
/// fixed-size clips, through the same `TrainingLoop` as the diffusion trainer.
public final class VAETrainer: TrainingTask {
    public let config: TrainingConfig
    public let vae: VideoVAE
    public let stage: VAETrainingStage
    public let loss: VAELoss
    public let optimizer: ParameterOptimizer
    public let keys: RunKeys
    public let dataset: TrainingDataset
    public let sampler: DistributedSampler
    public let parallelism: TrainingParallelism
    /// The clips' shape: `num_frames` × `image_size`.
    public let shape: BucketShape
    /// Where the weights came from and whether LPIPS is on (the terminal's first line).
    public let initialization: String
    /// The discriminator and its optimizer, when the config has a `discriminator` (none of the v1.2 stages do).
    public let adversarial: VAEAdversarialTraining?
    /// The last step's terms by log name (averaged over its micro-batches).
    var stepTerms = [[String: Tensor]]()
    var discTerm: Double?
    let warn: @Sendable (String) -> Void

    /// `parallelism`: data parallelism (the sampler's rank share, gradients averaged over the ranks); the VAE has no
    /// sequence parallelism. A resume continues at this rank's batch position, as train_vae.py's sampler does.
    public init(config: TrainingConfig, parallelism: TrainingParallelism = .single,
                warn: @escaping @Sendable (String) -> Void = DataLoader.warnOnStandardError) throws {
        guard config.trainer == .vae else { throw TrainingError.wrongTrainer(config: "the config", expected: .vae, found: config.trainer) }
        try config.validate()
        guard config.dataset.type == .videoText else {
            throw ConfigError.invalidValue(path: "dataset.type", value: config.dataset.type.rawValue,
                                           accepted: "VideoTextDataset (train_vae.py trains on nothing else)")
        }
        guard let dataPath = config.dataset.dataPath else { throw ConfigError.missingKey(path: "dataset.data_path") }
        let size = config.dataset.imageSize ?? [256, 256]
        let transform = config.dataset.transformName ?? .center
        if transform == .center, size[0] != size[1] {
            throw ConfigError.invalidValue(path: "dataset.image_size", value: "\(size)", accepted: "a square size with transform_name center")
        }
        self.config = config
        self.warn = warn
        self.parallelism = parallelism
        keys = RunKeys(seed: config.seed)
        stage = try VAETrainingStage(config: config)
        shape = BucketShape(frameCount: stage.numFrames, size: VideoSize(height: size[0], width: size[1]))
        let built = try VAETrainingModel.build(config)
        vae = built.vae
        stage.configure(vae)
        vae.gradientCheckpointing = config.gradCheckpoint
        let (perceptual, note) = try Self.perceptualLoss(config, stage: stage)
        var lossConfig = stage.lossConfig
        if perceptual == nil { lossConfig.perceptualLossWeight = 0 }
        loss = VAELoss(lossConfig, perceptual: perceptual)
        var initialization = built.initialization + "; " + note
        optimizer = try ParameterOptimizer(module: vae, config: config, computeDType: config.dtype.computeDType)
        optimizer.gradientGroup = parallelism.world
        adversarial = try config.discriminator.map { try VAEAdversarialTraining(config: config, section: $0, keys: RunKeys(seed: config.seed)) }
        adversarial?.optimizer.gradientGroup = parallelism.world
        if adversarial != nil { initialization += "; discriminator NLayerDiscriminator (PyTorch default init)" }
        dataset = try TrainingDataset(table: DatasetTable(contentsOf: dataPath), frameInterval: config.dataset.frameInterval,
                                      transform: transform == .center ? .centre : .resizeCrop, repeatsImages: true,
                                      cache: config.dataset.decodedCache)
        sampler = DistributedSampler(count: dataset.table.rows.count, batchSize: config.batchSize ?? 1, shard: parallelism.data)
        self.initialization = initialization
    }

    /// LPIPS from `vae_loss.lpips_weights`, or none (the term off) when no weights are given or its weight is 0.
    static func perceptualLoss(_ config: TrainingConfig, stage: VAETrainingStage) throws -> (PerceptualLoss?, String) {
        let weight = stage.perceptualLossWeight
        guard weight > 0 else { return (nil, "perceptual (LPIPS) term off: perceptual_loss_weight \(weight)") }
        guard let paths = config.vaeLoss?.lpipsWeights, let head = paths.first else {
            return (nil, "perceptual (LPIPS) term off: no LPIPS weights (--lpips-weights or vae_loss.lpips_weights), so "
                    + "perceptual_loss_weight \(weight) counts as 0" + (stage.useRealRecLoss ? "" : "; this stage's loss has no pixel term anyway"))
        }
        guard paths.count <= 2 else {
            throw ConfigError.invalidValue(path: "vae_loss.lpips_weights", value: "\(paths.count) paths",
                                           accepted: "[head] or [head, vgg16] (taming's vgg.pth or an LPIPS state_dict, then torchvision's vgg16)")
        }
        let lpips = try LPIPS.load(headWeights: head, vggWeights: paths.count > 1 ? paths[1] : nil)
        return (lpips, "perceptual (LPIPS) term on, weight \(weight), from \(paths.joined(separator: " + "))")
    }

    public func batchCount(epoch: Int) throws -> Int { try sampler.batchCount(epoch: epoch) }

    public func batches(epoch: Int, from start: Int) throws -> TrainingBatchSource<TrainingBatch> {
        // Rank r's batch k is the k·R + r-th of the epoch's order (batch size 1: exactly that row), and decodes with its seed.
        let shard = parallelism.data
        let requests = try sampler.batches(epoch: epoch, from: start, shape: shape).enumerated().map { i, batch in
            BatchRequest(batch: batch, seed: keys.seedValue(step: epoch, micro: (start + i) * shard.worldSize + shard.rank, .dataOrder))
        }
        let loader = DataLoader(dataset: dataset, requests: requests, prefetchDepth: config.numWorkers > 0 ? 2 : 0, warn: warn)
        return TrainingBatchSource(loader)
    }

    public func loss(of batch: TrainingBatch, step: Int, micro: Int) throws -> Tensor {
        if micro == 0 { stepTerms.removeAll() }
        let micro = parallelism.microIndex(micro, accumulation: config.gradAccumulationSteps)
        let losses = try stepLosses(of: batch.video, step: step, micro: micro, training: true)
        stepTerms.append(losses.named)
        return losses.total
    }

    /// Every loss term of one micro-batch: the mixed-length cut and both posteriors' noise are drawn from
    /// (seed, step, micro), so a resumed run and a re-evaluation see the same values. `training` keeps the frames
    /// for the discriminator's step.
    public func stepLosses(of video: Tensor, step: Int, micro: Int, training: Bool = false) throws -> VAEStepLosses {
        let draw = Double(keys.seedValue(step: step, micro: micro, .mixedLength) >> 11) * 0x1p-53
        let frames = try stage.keptFrames(of: video.dim(2), draw: draw)
        let dtype = config.dtype.computeDType
        let x = video.keepingFirstFrames(frames).asType(dtype)
        let noise = keys.key(step: step, micro: micro, .vaePosterior).split(into: 2)
        let spatial = vae.config.spatial
        let (b, h, w) = (x.dim(0), spatial.latentSide(x.dim(3)), spatial.latentSide(x.dim(4)))
        let spatialNoise = Tensor.normal([b, spatial.latentChannels, frames, h, w], key: noise[0]).asType(dtype)
        let temporalNoise = Tensor.normal([b, vae.latentChannels, vae.latentFrames(frames), h, w], key: noise[1]).asType(dtype)
        let output = try vae.trainingForward(x, spatialNoise: spatialNoise, temporalNoise: temporalNoise, spatialOnly: stage.spatialOnly)
        var losses = try stage.stepLosses(x, output, loss: loss)
        guard let adversarial else { return losses }
        let term = try adversarial.generatorTerm(reconstruction: output.reconstruction, step: step, vae: vae) {
            let again = try vae.trainingForward(x, spatialNoise: spatialNoise, temporalNoise: temporalNoise, spatialOnly: stage.spatialOnly)
            return (try loss(x, again.reconstruction, posterior: again.posterior).nll, again.reconstruction)
        }
        losses.adversarial = term
        losses.total = losses.total + term
        if training { adversarial.remember(real: x, fake: output.reconstruction) }
        return losses
    }

    /// The discriminator's step after the VAE's (train_vae.py's order); its loss joins the step's terms as `disc_loss`.
    public func afterOptimizerStep(step: Int) throws {
        guard let adversarial else { return }
        discTerm = try adversarial.step(globalStep: step)
    }

    /// The last step's `nll_loss`, `kl_loss`, `z_nll_loss`, `image_identity_loss` (single-frame steps with the flag),
    /// and with a discriminator `adversarial_loss` and `disc_loss`.
    public func lastTerms() throws -> [String: Double] {
        try Tensor.eval(stepTerms.flatMap(\.values))
        var sums = [String: Double]()
        for terms in stepTerms {
            for (name, t) in terms { sums[name, default: 0] += Double(try t.asType(.float32).item() as Float) }
        }
        var result = sums.mapValues { $0 / Double(max(stepTerms.count, 1)) }
        if let discTerm { result["disc_loss"] = discTerm }
        return result
    }

    /// The discriminator's weights (with its BatchNorm statistics) and AdamW state, for the checkpoint.
    public func discriminatorState() throws -> DiscriminatorState? {
        adversarial.map { DiscriminatorState(model: $0.optimizer.modelState(), optimizer: $0.optimizer.adamw.state()) }
    }

    /// Restores the discriminator from a checkpoint that has one (train_vae.py loads `discriminator/` only if it exists).
    public func restoreDiscriminator(from loaded: LoadedCheckpoint) throws -> String? {
        guard let adversarial else { return nil }
        guard let state = loaded.checkpoint.discriminator else {
            return "the checkpoint has no discriminator; it starts from its initial weights"
        }
        try adversarial.optimizer.restore(model: state.model, optimizer: state.optimizer, ema: nil, source: loaded.folder)
        return nil
    }

    public func sampleCount(of batch: TrainingBatch) -> Int { batch.count }

    /// train_vae.py evaluates nothing during training (`opensora eval vae` scores a checkpoint).
    public func evaluate(afterStep step: Int) throws -> [String: Double] { [:] }

    /// The pipeline's config as inference runs it (17-frame clips, OpenSoraVAE_V1_2), so a checkpoint folder
    /// loads with `ModelBundle.videoVAE(at:)` (`generate --vae-path`, `eval vae --ckpt-path`).
    public func modelConfigJSON() throws -> Data {
        var c = vae.config
        c.microFrameSize = VideoVAEConfig.v1_2.microFrameSize
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(c)
    }
}
