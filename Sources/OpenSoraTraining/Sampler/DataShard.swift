// Reference: opensora/datasets/sampler.py@v1.2.0 (num_replicas, rank: iteration i serves entry i·R + r); spec/training.md §5.

/// This process's place in data parallelism: it serves every `worldSize`-th bucket access, from `rank`.
public struct DataShard: Equatable, Hashable, Codable, Sendable {
    public let rank: Int
    public let worldSize: Int

    public static let single = DataShard(checkedRank: 0, worldSize: 1)

    public init(rank: Int, worldSize: Int) throws {
        guard worldSize >= 1, (0..<worldSize).contains(rank) else { throw BatchSamplerError.invalidShard(rank: rank, worldSize: worldSize) }
        self.init(checkedRank: rank, worldSize: worldSize)
    }

    /// Decoding checks like `init(rank:worldSize:)`, so a saved shard cannot be out of range.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(rank: c.decode(Int.self, forKey: .rank), worldSize: c.decode(Int.self, forKey: .worldSize))
    }

    private init(checkedRank rank: Int, worldSize: Int) {
        self.rank = rank
        self.worldSize = worldSize
    }
}
