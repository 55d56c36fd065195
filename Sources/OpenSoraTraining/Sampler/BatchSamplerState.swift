// Reference: opensora/datasets/sampler.py@v1.2.0 (state_dict, load_state_dict, __iter__'s start_iter_idx); spec/training.md §5.6.

/// Where an epoch stands: `position` counts bucket accesses consumed over all ranks (steps × world size),
/// the reference's `last_micro_batch_access_index`, so a run may resume with another world size.
public struct BatchSamplerState: Equatable, Hashable, Codable, Sendable {
    public var epoch: Int
    public var position: Int

    public init(epoch: Int, position: Int = 0) {
        self.epoch = epoch
        self.position = position
    }

    /// `state_dict(num_steps)`: the state after `steps` completed steps of `shard`'s world.
    public init(epoch: Int, completedSteps steps: Int, shard: DataShard) {
        self.init(epoch: epoch, position: steps * shard.worldSize)
    }
}
