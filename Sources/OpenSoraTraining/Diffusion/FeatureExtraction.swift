// Reference: scripts/misc/extract_feat.py@v1.2.0 (the stage-1 bucketed loader, shuffled, drop_last; VAE-encode and T5
// per batch); spec/training.md §12.1.
import Foundation
import MLXTensor
import OpenSora

/// `opensora train extract`: epoch 0's batches of a media run, encoded once into a `FeatureCache`.
public struct FeatureExtraction {
    public let config: TrainingConfig

    public init(config: TrainingConfig) throws {
        guard config.dataset.type == .variableVideoText else {
            throw ConfigError.invalidValue(path: "dataset.type", value: config.dataset.type.rawValue,
                                           accepted: "VariableVideoTextDataset (extraction reads media)")
        }
        self.config = config
    }

    /// Writes every batch; returns how many. `progress(done, total)` after each.
    public func run(into folder: String, batchesPerShard: Int = 64,
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> Int {
        guard let dataPath = config.dataset.dataPath else { throw ConfigError.missingKey(path: "dataset.data_path") }
        guard let bucketConfig = config.bucketConfig else { throw ConfigError.missingKey(path: "bucket_config") }
        let (vae, textEncoder) = try DiffusionModels.encoders(config)
        let dataset = try TrainingDataset(table: DatasetTable(contentsOf: dataPath), frameInterval: config.dataset.frameInterval)
        let sampler = try BatchSampler(bucket: Bucket(bucketConfig), samples: dataset.sampleInfos,
                                       frameInterval: config.dataset.frameInterval, seed: config.seed)
        let keys = RunKeys(seed: config.seed)
        let batches = Array(try sampler.batches(from: BatchSamplerState(epoch: 0)))
        let requests = batches.enumerated().map { BatchRequest(batch: $1, seed: keys.seedValue(step: 0, micro: $0, .dataOrder)) }
        let loader = DataLoader(dataset: dataset, requests: requests, prefetchDepth: 2)
        let writer = try FeatureCache.Writer(folder: folder, batchesPerShard: batchesPerShard)
        var done = 0
        while let batch = try loader.next() {
            try writer.append(try DiffusionBatch(encoding: batch, vae: vae!, textEncoder: textEncoder!,
                                                 key: keys.key(step: 0, micro: loader.consumed, .vaePosterior)))
            done += 1
            progress(done, requests.count)
        }
        guard done > 0 else { throw TrainingError.noBatches(reason: "no batch of \(dataPath) fits bucket_config") }
        return try writer.finish()
    }
}
