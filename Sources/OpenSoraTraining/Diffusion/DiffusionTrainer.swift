// Reference: scripts/train.py@v1.2.0 (VariableVideoTextDataset + VariableVideoBatchSampler, or BatchFeatureDataset with
// load_video_features / load_text_features; the step of §6); spec/training.md §2–7, §12.2.
import Foundation
import MLXTensor
import NN
import OpenSora

/// `opensora train`: STDiT3 trained with the rectified-flow loss on a CSV of videos and images (bucketed) or on
/// a feature cache, through the shared `TrainingLoop`.
public final class DiffusionTrainer: TrainingTask {
    /// A batch as it comes from the data: video to encode, or precomputed features.
    public enum Batch {
        case media(TrainingBatch)
        case features(DiffusionBatch)
    }

    public let config: TrainingConfig
    public let models: DiffusionModels
    public let objective: DiffusionObjective
    public let optimizer: ParameterOptimizer
    public let keys: RunKeys
    public let parallelism: TrainingParallelism
    let data: DataSource
    /// The evaluation run every `eval_every` steps (on the training table, the eval bucket list).
    let evaluation: DiffusionEvaluation?
    let warn: @Sendable (String) -> Void

    enum DataSource {
        case media(TrainingDataset, BatchSampler)
        case features(FeatureCache)
    }

    /// `parallelism`: this rank's place in a launch (data shard, sequence-parallel group, gradient world).
    public init(config: TrainingConfig, parallelism: TrainingParallelism = .single,
                warn: @escaping @Sendable (String) -> Void = DataLoader.warnOnStandardError) throws {
        guard config.trainer == .diffusion else { throw TrainingError.wrongTrainer(config: "the config", expected: .diffusion, found: config.trainer) }
        try config.validate()
        self.config = config
        self.warn = warn
        self.parallelism = parallelism
        keys = RunKeys(seed: config.seed)
        models = try DiffusionModels(config: config)
        models.denoiser.gradientCheckpointing = config.gradCheckpoint
        models.denoiser.sequenceParallel = parallelism.sequence
        objective = DiffusionObjective(denoiser: models.denoiser, config: config)
        optimizer = try ParameterOptimizer(module: models.denoiser, config: config, computeDType: config.dtype.computeDType)
        optimizer.gradientGroup = parallelism.world
        guard let dataPath = config.dataset.dataPath else { throw ConfigError.missingKey(path: "dataset.data_path") }
        switch config.dataset.type {
        case .batchFeature:
            guard config.loadVideoFeatures, config.loadTextFeatures else {
                throw ConfigError.invalidValue(path: "load_video_features", value: "\(config.loadVideoFeatures)",
                                               accepted: "true (with load_text_features) for dataset.type BatchFeatureDataset")
            }
            data = .features(try FeatureCache(folder: dataPath))
            evaluation = nil
        case .variableVideoText:
            guard let bucketConfig = config.bucketConfig else { throw ConfigError.missingKey(path: "bucket_config") }
            let dataset = try TrainingDataset(table: DatasetTable(contentsOf: dataPath), frameInterval: config.dataset.frameInterval,
                                              cache: config.dataset.decodedCache)
            let sampler = try BatchSampler(bucket: Bucket(bucketConfig), samples: dataset.sampleInfos,
                                           frameInterval: config.dataset.frameInterval, seed: config.seed, shard: parallelism.data)
            data = .media(dataset, sampler)
            evaluation = config.evalEvery > 0 ? try DiffusionEvaluation(config: config, dataset: dataset, models: models,
                                                                         objective: objective, warn: warn) : nil
        case .videoText:
            throw ConfigError.invalidValue(path: "dataset.type", value: "VideoTextDataset",
                                           accepted: "VariableVideoTextDataset or BatchFeatureDataset (VideoTextDataset is the VAE trainer's)")
        }
    }

    public func batchCount(epoch: Int) throws -> Int {
        switch data {
        case .media(_, let sampler): try sampler.batchCount(epoch: epoch)
        case .features(let cache): cache.batchCount / parallelism.data.worldSize
        }
    }

    public func batches(epoch: Int, from start: Int) throws -> TrainingBatchSource<Batch> {
        switch data {
        case .media(let dataset, let sampler):
            // Positions count accesses of every rank; each batch's decoding seed is that of its global access.
            let iterator = try sampler.batches(from: BatchSamplerState(epoch: epoch, position: start))
            let first = iterator.state.position, shard = parallelism.data
            let requests = iterator.enumerated().map { i, batch in
                BatchRequest(batch: batch, seed: keys.seedValue(step: epoch, micro: first + i * shard.worldSize + shard.rank, .dataOrder))
            }
            let loader = DataLoader(dataset: dataset, requests: requests, prefetchDepth: config.numWorkers > 0 ? 2 : 0, warn: warn)
            let source = TrainingBatchSource(loader)
            return TrainingBatchSource(next: { try source.next().map(Batch.media) }, consumed: { source.consumed() * shard.worldSize },
                                       skipped: source.skipped, stop: source.stop)
        case .features(var cache):
            // Global batch order, rank r serving batches start + r, start + r + R, …: positions count batches of
            // every rank, so a run resumes on another number of ranks where it stopped.
            let shard = parallelism.data
            var served = 0
            let count = cache.batchCount / shard.worldSize * shard.worldSize
            return TrainingBatchSource(next: {
                let position = start + served * shard.worldSize + shard.rank
                guard position < count else { return nil }
                defer { served += 1 }
                return .features(try cache.batch(position))
            }, consumed: { served * shard.worldSize })
        }
    }

    public func loss(of batch: Batch, step: Int, micro: Int) throws -> Tensor {
        let micro = parallelism.microIndex(micro, accumulation: config.gradAccumulationSteps)
        return try objective.trainingLoss(try encoded(batch, step: step, micro: micro), keys: keys, step: step, micro: micro)
    }

    /// The batch's latents and caption features (the frozen encoders run outside the gradient).
    func encoded(_ batch: Batch, step: Int, micro: Int) throws -> DiffusionBatch {
        switch batch {
        case .features(let f): return f
        case .media(let m):
            guard let vae = models.vae, let textEncoder = models.textEncoder else {
                throw ConfigError.invalidValue(path: "load_video_features", value: "true", accepted: "false when training from media")
            }
            return try DiffusionBatch(encoding: m, vae: vae, textEncoder: textEncoder, key: keys.key(step: step, micro: micro, .vaePosterior))
        }
    }

    public func sampleCount(of batch: Batch) -> Int {
        switch batch {
        case .media(let m): m.count
        case .features(let f): f.count
        }
    }

    public func evaluate(afterStep step: Int) throws -> [String: Double] {
        guard let evaluation else { return [:] }
        return try evaluation.run().scores
    }

    public func modelConfigJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(models.denoiser.config)
    }
}
