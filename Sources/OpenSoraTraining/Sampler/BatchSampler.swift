// Reference: opensora/datasets/sampler.py@v1.2.0 (VariableVideoBatchSampler: group_by_bucket, __iter__, __len__,
// state_dict); spec/training.md §5.
//
// Reproduced exactly: the grouping (same numpy draws per row), the torch.Generator(seed + epoch) shuffles
// (MT19937 randperm, checked against torch), padding/dropping, the access order, rank r serving entry r,
// resume at position // world size. The reference reuses the grouping `__len__` built (epoch 0) for the
// first epoch it iterates; `groupedAs:` reproduces that on resume, otherwise every epoch is grouped with its
// own seed. Not reproduced: a padded access order that revisits an exhausted bucket wraps to its head (the
// reference yields an empty batch there), and permutations longer than randperm's small-n branch.

/// Batches of rows that share a bucket, deterministic from (seed, epoch), sharded by rank.
public struct BatchSampler: Sendable {
    public let bucket: Bucket
    public let samples: [SampleInfo]
    public let frameInterval: Int
    public let seed: UInt64
    public let shuffle: Bool
    /// train.py uses true: trailing partial batches and accesses beyond a multiple of the world size go.
    public let dropLast: Bool
    public let shard: DataShard

    public init(bucket: Bucket, samples: [SampleInfo], frameInterval: Int = 1, seed: UInt64, shuffle: Bool = true,
                dropLast: Bool = true, shard: DataShard = .single) throws {
        guard frameInterval >= 1 else { throw BucketError.invalidFrameInterval(frameInterval) }
        self.bucket = bucket
        self.samples = samples
        self.frameInterval = frameInterval
        self.seed = seed
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.shard = shard
    }

    /// `group_by_bucket()`: each row's bucket with seed = seed + epoch + row · num_bucket; buckets in order of
    /// first appearance, rows in dataset order; dropped rows are left out.
    public func grouping(epoch: Int) throws -> [(bucket: BucketID, rows: [Int])] {
        guard epoch >= 0 else { throw BatchSamplerError.invalidEpoch(epoch) }
        var order = [BucketID](), rows = [BucketID: [Int]]()
        let stride = UInt64(bucket.bucketCount)
        for (i, s) in samples.enumerated() {
            let (offset, o1) = UInt64(i).multipliedReportingOverflow(by: stride)
            let (base, o2) = seed.addingReportingOverflow(UInt64(epoch))
            let (rowSeed, o3) = base.addingReportingOverflow(offset)
            guard !(o1 || o2 || o3) else { throw BatchSamplerError.seedOverflow(seed: seed, epoch: epoch, row: i) }
            guard let id = try bucket.bucketID(numFrames: s.numFrames, height: s.height, width: s.width,
                                               frameInterval: frameInterval, seed: rowSeed) else { continue }
            if rows[id] == nil { order.append(id) }
            rows[id, default: []].append(i)
        }
        return order.map { ($0, rows[$0] ?? []) }
    }

    /// The epoch's batches for every rank (`__iter__` up to the point where ranks split). `groupedAs` takes
    /// the rows' buckets from another epoch (train.py's first epoch after a resume uses epoch 0's).
    public func plan(epoch: Int, groupedAs groupingEpoch: Int? = nil) throws -> EpochPlan {
        guard epoch >= 0 else { throw BatchSamplerError.invalidEpoch(epoch) }
        let groups = try grouping(epoch: groupingEpoch ?? epoch)
        var generator = TorchGenerator(seed: seed &+ UInt64(epoch))
        var rows = [BucketID: [Int]](), sizes = [BucketID: Int](), shapes = [BucketID: BucketShape](), accesses = [BucketID]()
        for (id, original) in groups {
            guard let bs = try bucket.batchSize(id) else { throw BatchSamplerError.noBatchSize(id, rows: original.count) }
            var list = original
            let remainder = list.count % bs
            if remainder > 0 {
                if dropLast { list.removeLast(remainder) } else { list += list.prefix(bs - remainder) }
            }
            if shuffle { list = try generator.randomPermutation(list.count).map { list[$0] } }
            rows[id] = list
            sizes[id] = bs
            shapes[id] = try bucket.shape(id)
            accesses += Array(repeating: id, count: list.count / bs)
        }
        if shuffle { accesses = try generator.randomPermutation(accesses.count).map { accesses[$0] } }
        let remainder = accesses.count % shard.worldSize
        if remainder > 0 {
            if dropLast { accesses.removeLast(remainder) } else { accesses += accesses.prefix(shard.worldSize - remainder) }
        }
        return EpochPlan(epoch: epoch, worldSize: shard.worldSize, accessOrder: accesses, rows: rows, batchSizes: sizes, shapes: shapes)
    }

    /// This rank's batches from `state` on (a fresh epoch is `BatchSamplerState(epoch: e)`).
    public func batches(from state: BatchSamplerState, groupedAs groupingEpoch: Int? = nil) throws -> BatchIterator {
        BatchIterator(plan: try plan(epoch: state.epoch, groupedAs: groupingEpoch), shard: shard, position: state.position)
    }

    /// `__len__`: whole batches over all buckets (before padding), divided by the world size.
    public func batchCount(epoch: Int) throws -> Int {
        var total = 0
        for (id, rows) in try grouping(epoch: epoch) {
            guard let bs = try bucket.batchSize(id) else { throw BatchSamplerError.noBatchSize(id, rows: rows.count) }
            total += rows.count / bs
        }
        return total / shard.worldSize
    }
}
