// Reference: eval/loss/eval_loss.py@v1.2.0 (per (resolution, length): a one-bucket loader without shuffle or drop_last
// stopped after Σ floor(len/bs) batches; 10 equidistant timesteps linspace(0, 1000, 12)[1:-1] passed as bf16; per t
// loss_sum / n over the per-sample losses; the score is the mean over t); spec/evaluation.md §1.
import Foundation
import MLXTensor
import OpenSora

/// The rectified-flow evaluation loss of a model over a bucket list, exactly as eval_loss.py averages it.
public final class DiffusionEvaluation {
    public let dataset: TrainingDataset
    public let buckets: BucketConfig
    public let models: DiffusionModels
    public let objective: DiffusionObjective
    public let timesteps: [Float]
    public let keys: RunKeys
    let frameInterval: Int
    let warn: @Sendable (String) -> Void

    /// `buckets` defaults to the config's `eval_bucket_config`, else its training `bucket_config`.
    public init(config: TrainingConfig, dataset: TrainingDataset, models: DiffusionModels, objective: DiffusionObjective,
                buckets: BucketConfig? = nil, warn: @escaping @Sendable (String) -> Void = DataLoader.warnOnStandardError) throws {
        guard let buckets = buckets ?? config.evalBucketConfig ?? config.bucketConfig else { throw ConfigError.missingKey(path: "eval_bucket_config") }
        (self.dataset, self.buckets, self.models, self.objective, self.warn) = (dataset, buckets, models, objective, warn)
        timesteps = try Self.timesteps(count: config.numEvalTimesteps)
        keys = RunKeys(seed: config.seed)
        frameInterval = config.dataset.frameInterval
    }

    /// 1000·k/(n+1), k = 1…n, rounded through bf16 (91, 182, 272, 364, 454, 544, 636, 728, 820, 908 for n = 10).
    public static func timesteps(count n: Int) throws -> [Float] {
        guard n >= 1 else { throw ConfigError.invalidValue(path: "num_eval_timesteps", value: "\(n)", accepted: "an integer ≥ 1") }
        let raw = (1...n).map { Float(1000 * Double($0) / Double(n + 1)) }
        return try Tensor(raw).asType(.bfloat16).asType(.float32).toArray()
    }

    /// Every entry of the bucket list with at least one whole batch.
    public func run(progress: (String) -> Void = { _ in }) throws -> EvaluationLossReport {
        guard let vae = models.vae, let textEncoder = models.textEncoder else {
            throw ConfigError.invalidValue(path: "load_video_features", value: "true", accepted: "false: the evaluation loss reads media")
        }
        var report = EvaluationLossReport(timesteps: timesteps.map(Double.init), entries: [])
        for (entryIndex, entry) in buckets.evaluationEntries.enumerated() {
            let sampler = try BatchSampler(bucket: Bucket(entry.config), samples: dataset.sampleInfos, frameInterval: frameInterval,
                                           seed: keys.seed, shuffle: false, dropLast: false)
            let steps = try sampler.batchCount(epoch: 0)
            guard steps > 0 else {
                warn("eval loss: \(entry.resolution.rawValue) × \(entry.frameCount) frames has no whole batch of \(entry.batchSize); skipped")
                continue
            }
            // Without shuffling every pass serves the same batches; only the crops and the noise differ per timestep.
            let batches = Array(try sampler.batches(from: BatchSamplerState(epoch: 0)).prefix(steps))
            var losses = [Double](), samples = 0
            for (ti, t) in timesteps.enumerated() {
                let requests = batches.enumerated().map { i, b in
                    BatchRequest(batch: b, seed: keys.seedValue(step: entryIndex * 1000 + ti, micro: i, .evaluation))
                }
                let loader = DataLoader(dataset: dataset, requests: requests, prefetchDepth: 2, warn: warn)
                var sum = 0.0, n = 0, i = 0
                while let batch = try loader.next() {
                    let key = keys.key(step: entryIndex * 1000 + ti, micro: i, .evaluation).split(into: 2)
                    let encoded = try DiffusionBatch(encoding: batch, vae: vae, textEncoder: textEncoder, key: key[0])
                    let noise = Tensor.normal(encoded.latents.shape, key: key[1])
                    let perSample = try objective.perSampleLoss(encoded, t: Tensor(Array(repeating: t, count: encoded.count)), noise: noise)
                    sum += Double(try perSample.sum().item() as Float)
                    n += encoded.count
                    i += 1
                }
                guard n > 0 else { continue }
                losses.append(sum / Double(n))
                samples = n
                progress("eval loss \(entry.resolution.rawValue) × \(entry.frameCount): t = \(t) → \(String(format: "%.4f", sum / Double(n)))")
            }
            guard !losses.isEmpty else { continue }
            report.entries.append(.init(resolution: entry.resolution.rawValue, numFrames: entry.frameCount, batchSize: entry.batchSize,
                                        samples: samples, losses: losses, loss: losses.reduce(0, +) / Double(losses.count)))
        }
        return report
    }
}

/// The evaluation loss per (resolution, frame count): the loss at each timestep and their mean (the score).
public struct EvaluationLossReport: Codable, Equatable, Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        public var resolution: String
        public var numFrames: Int
        public var batchSize: Int
        /// Samples evaluated per timestep.
        public var samples: Int
        public var losses: [Double]
        public var loss: Double

        enum CodingKeys: String, CodingKey {
            case resolution, numFrames = "num_frames", batchSize = "batch_size", samples, losses, loss
        }
    }

    public var timesteps: [Double]
    public var entries: [Entry]

    /// `"240p/51": score`, the names the training log uses.
    public var scores: [String: Double] {
        entries.reduce(into: [:]) { $0["\($1.resolution)/\($1.numFrames)"] = $1.loss }
    }

    /// The table printed by `opensora eval loss`.
    public var table: String {
        var lines = ["resolution  frames  samples  loss"]
        for e in entries {
            lines.append(String(format: "%-10@  %6d  %7d  %.4f", e.resolution as NSString, e.numFrames, e.samples, e.loss))
        }
        return lines.joined(separator: "\n")
    }
}
