// Reference: opensora/datasets/sampler.py@v1.2.0 (apply: num_frames, height, width, id of a data row);
// opensora/datasets/datasets.py@v1.2.0 (VariableVideoTextDataset: `id` is the row's position).

/// What the batch sampler needs of one data row; the row's position in the dataset is its id.
public struct SampleInfo: Equatable, Hashable, Sendable {
    public var numFrames: Int
    public var height: Int
    public var width: Int

    public init(numFrames: Int, height: Int, width: Int) {
        self.numFrames = numFrames
        self.height = height
        self.width = width
    }
}

/// This process's place in data parallelism: it serves every `worldSize`-th bucket access, from `rank`.
public struct DataShard: Equatable, Hashable, Codable, Sendable {
    public let rank: Int
    public let worldSize: Int

    public static let single = DataShard(checkedRank: 0, worldSize: 1)

    public init(rank: Int, worldSize: Int) throws {
        guard worldSize >= 1, (0..<worldSize).contains(rank) else { throw BatchSamplerError.invalidShard(rank: rank, worldSize: worldSize) }
        self.init(checkedRank: rank, worldSize: worldSize)
    }

    private init(checkedRank rank: Int, worldSize: Int) {
        self.rank = rank
        self.worldSize = worldSize
    }
}

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

/// One micro-batch: rows of a single bucket, as many as its batch size.
public struct SampledBatch: Equatable, Hashable, Sendable {
    public var bucket: BucketID
    public var shape: BucketShape
    public var rows: [Int]

    /// The reference's sample keys `"{row}-{T}-{H}-{W}"`, which the dataset decodes.
    public var sampleKeys: [String] {
        rows.map { "\($0)-\(shape.frameCount)-\(shape.size.height)-\(shape.size.width)" }
    }
}

public enum BatchSamplerError: Error, Equatable, CustomStringConvertible {
    case invalidShard(rank: Int, worldSize: Int)
    case invalidEpoch(Int)
    /// A `None` batch size on a bucket that received rows (the reference fails on `len % None`).
    case noBatchSize(BucketID, rows: Int)
    case seedOverflow(seed: UInt64, epoch: Int, row: Int)

    public var description: String {
        switch self {
        case .invalidShard(let r, let w): "rank \(r) of world size \(w): accepted world size ≥ 1 and 0 ≤ rank < world size"
        case .invalidEpoch(let e): "epoch \(e) must be ≥ 0"
        case .noBatchSize(let id, let n): "bucket \(id) has batch size None but received \(n) rows; give it a batch size or keep 0"
        case .seedOverflow(let s, let e, let r): "seed \(s) + epoch \(e) + row \(r) × bucket count does not fit 64 bits"
        }
    }
}
