// Reference: opensora/acceleration/parallel_states.py, plugin.py@v1.2.0 (zero2: DP over the world;
// zero2-seq: a DP × SP mesh, SP groups of consecutive ranks); spec/parallelism.md §1, §3.4, §5.
import OpenSora

/// A training rank's place among the launched processes: its sequence-parallel group (consecutive
/// ranks that share one batch), its data shard (one per SP group), and the world every gradient
/// is averaged over. One process is `.single`.
public struct TrainingParallelism: @unchecked Sendable {
    public let world: ParallelGroup
    public let sequence: ParallelGroup
    public let data: DataShard

    public static let single = TrainingParallelism(world: .single, sequence: .single, data: .single)

    init(world: ParallelGroup, sequence: ParallelGroup, data: DataShard) {
        self.world = world
        self.sequence = sequence
        self.data = data
    }

    /// The layout of `world` for `sp_size` = `sequenceSize`: ranks r·p … r·p+p−1 form SP group r.
    public init(world: ParallelWorld, sequenceSize p: Int) throws {
        guard p >= 1, world.size % p == 0 else {
            throw ConfigError.invalidValue(path: "sp_size", value: "\(p)", accepted: "a divisor of the \(world.size) launched ranks")
        }
        let first = world.rank / p * p
        let sequence: ParallelGroup
        if p == 1 { sequence = .single } else if p == world.size { sequence = world.group } else {
            guard let process = world.process else { throw ConfigError.invalidValue(path: "sp_size", value: "\(p)", accepted: "1 without a launch") }
            sequence = try ParallelGroup.subgroup(of: process, members: Array(first..<(first + p)))
        }
        self.init(world: world.group, sequence: sequence, data: try DataShard(rank: world.rank / p, worldSize: world.size / p))
    }

    /// Rank 0 writes the run's files (config, log, checkpoints); every rank computes.
    public var isWriter: Bool { world.rank == 0 }

    /// The key index of micro-batch `micro` of this rank: data ranks draw distinct noise, timesteps
    /// and masks (SP ranks of one group the same), so `n` ranks step like one process accumulating
    /// `n` micro-batches — the ranks' batches in rank order.
    public func microIndex(_ micro: Int, accumulation: Int) -> Int { data.rank * accumulation + micro }
}
