// Reference: opensora/datasets/sampler.py@v1.2.0 (VariableVideoBatchSampler.__iter__); spec/training.md §5 steps 2–5.

/// One epoch for every rank: each bucket's rows (padded or trimmed to whole batches, shuffled) and the
/// bucket access order (shuffled, then made a multiple of the world size). Access j of the order takes the
/// bucket's next batch: the k-th access of a bucket takes its rows k·bs ..< (k+1)·bs.
public struct EpochPlan: Sendable {
    public let epoch: Int
    public let worldSize: Int
    /// Bucket ids in access order (length a multiple of `worldSize`).
    public let accessOrder: [BucketID]
    let rows: [BucketID: [Int]]
    let batchSizes: [BucketID: Int]
    let shapes: [BucketID: BucketShape]
    /// How many earlier accesses of the same bucket precede each access.
    let occurrence: [Int]

    init(epoch: Int, worldSize: Int, accessOrder: [BucketID], rows: [BucketID: [Int]], batchSizes: [BucketID: Int],
         shapes: [BucketID: BucketShape]) {
        var seen = [BucketID: Int]()
        occurrence = accessOrder.map { id in
            defer { seen[id, default: 0] += 1 }
            return seen[id, default: 0]
        }
        self.epoch = epoch
        self.worldSize = worldSize
        self.accessOrder = accessOrder
        self.rows = rows
        self.batchSizes = batchSizes
        self.shapes = shapes
    }

    /// Steps in the epoch: each serves one access per rank.
    public var iterationCount: Int { accessOrder.count / worldSize }

    /// The batch of access `j`. An access past the bucket's rows (only when the order was padded with its
    /// head) wraps to the bucket's first rows, where the reference would yield a short or empty batch.
    public func batch(access j: Int) -> SampledBatch? {
        guard accessOrder.indices.contains(j) else { return nil }
        let id = accessOrder[j]
        guard let list = rows[id], let bs = batchSizes[id], let shape = shapes[id], !list.isEmpty else { return nil }
        let start = occurrence[j] * bs
        let picked = (start..<(start + bs)).map { list[$0 % list.count] }
        return SampledBatch(bucket: id, shape: shape, rows: picked)
    }
}

/// The batches one rank serves, from a state on: iteration i takes access i·worldSize + rank.
public struct BatchIterator: IteratorProtocol, Sequence, Sendable {
    public let plan: EpochPlan
    public let shard: DataShard
    private var iteration: Int

    init(plan: EpochPlan, shard: DataShard, position: Int) {
        self.plan = plan
        self.shard = shard
        iteration = Swift.max(0, position) / shard.worldSize
    }

    /// The state after the batches served so far (resume from it to get exactly the next batch).
    public var state: BatchSamplerState { BatchSamplerState(epoch: plan.epoch, position: iteration * shard.worldSize) }

    public mutating func next() -> SampledBatch? {
        guard iteration < plan.iterationCount else { return nil }
        defer { iteration += 1 }
        return plan.batch(access: iteration * shard.worldSize + shard.rank)
    }
}
