// Reference: train.py@v1.2.0 `running_states.json` = {"epoch", "step": step + 1, "global_step": global_step + 1,
// "batch_size"}; on resume `start_epoch, start_step = epoch, step`; spec/training.md §10.1–10.2.

/// Where a run stands after a completed step: the epoch, the steps done in it, and the steps done overall.
public struct TrainingProgress: Codable, Equatable, Sendable {
    public var epoch: Int
    /// Steps completed within `epoch` (the step to resume at).
    public var step: Int
    /// Steps completed since the start (`epoch · steps_per_epoch + step`).
    public var globalStep: Int
    public var batchSize: Int?

    public init(epoch: Int, step: Int, globalStep: Int, batchSize: Int? = nil) {
        self.epoch = epoch
        self.step = step
        self.globalStep = globalStep
        self.batchSize = batchSize
    }

    enum CodingKeys: String, CodingKey {
        case epoch, step, globalStep = "global_step", batchSize = "batch_size"
    }

    public var checkpointName: CheckpointName { CheckpointName(epoch: epoch, globalStep: globalStep) }
}
