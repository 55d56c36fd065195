// Reference: scripts/train.py and scripts/train_vae.py@v1.2.0 share one loop shape (epochs of sampler batches, a step,
// EMA, logging, `ckpt_every` saves, `--load` resume); the parts that differ are what a trainer supplies here.
import Foundation
import MLXTensor

/// What a trainer supplies to `TrainingLoop`: its data, its loss and its model's description.
public protocol TrainingTask: AnyObject {
    associatedtype Batch

    var config: TrainingConfig { get }
    var optimizer: ParameterOptimizer { get }
    /// The ranks this run spans; rank 0 writes the files.
    var parallelism: TrainingParallelism { get }
    /// Batches (sampler positions) of `epoch` for this rank.
    func batchCount(epoch: Int) throws -> Int
    /// The batches of `epoch` from sampler position `start` on.
    func batches(epoch: Int, from start: Int) throws -> TrainingBatchSource<Batch>
    /// The scalar loss of one micro-batch of optimizer step `step` (0-based); its randomness comes from
    /// `RunKeys(seed: config.seed).key(step:micro:_:)`, so a resumed run computes the same value.
    func loss(of batch: Batch, step: Int, micro: Int) throws -> Tensor
    func sampleCount(of batch: Batch) -> Int
    /// Evaluation losses by name, run every `eval_every` steps; empty when the trainer has none.
    func evaluate(afterStep step: Int) throws -> [String: Double]
    /// The trained model's `config.json`, written into each checkpoint so the folder loads as a model.
    func modelConfigJSON() throws -> Data
    /// Work after the optimizer step `step` (0-based), before the log line: the VAE trainer's discriminator step.
    func afterOptimizerStep(step: Int) throws
    /// The last step's loss terms by name, for the log line's `terms`; empty when the trainer reports none.
    func lastTerms() throws -> [String: Double]
    /// A discriminator's weights and optimizer state for the checkpoint; nil without one.
    func discriminatorState() throws -> DiscriminatorState?
    /// Restores the discriminator from `loaded`; returns a notice when it could not (nil otherwise).
    func restoreDiscriminator(from loaded: LoadedCheckpoint) throws -> String?
}

/// Defaults for trainers with one model and a single loss (the diffusion trainer).
extension TrainingTask {
    public var parallelism: TrainingParallelism { .single }
    public func afterOptimizerStep(step: Int) throws {}
    public func lastTerms() throws -> [String: Double] { [:] }
    public func discriminatorState() throws -> DiscriminatorState? { nil }
    public func restoreDiscriminator(from loaded: LoadedCheckpoint) throws -> String? { nil }
}

/// A stream of batches and where it stands: `consumed` counts sampler positions used (skipped ones too).
public struct TrainingBatchSource<Batch> {
    public let next: () throws -> Batch?
    public let consumed: () -> Int
    /// Dataset rows skipped so far (missing, corrupt, too short).
    public let skipped: () -> Int
    public let stop: () -> Void

    public init(next: @escaping () throws -> Batch?, consumed: @escaping () -> Int, skipped: @escaping () -> Int = { 0 },
                stop: @escaping () -> Void = {}) {
        (self.next, self.consumed, self.skipped, self.stop) = (next, consumed, skipped, stop)
    }
}

extension TrainingBatchSource where Batch == TrainingBatch {
    /// A data loader's batches.
    public init(_ loader: DataLoader) {
        self.init(next: { try loader.next() }, consumed: { loader.consumed }, skipped: { loader.report.failures.count },
                  stop: { loader.stop() })
    }
}
