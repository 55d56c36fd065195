// Reference: torch.utils.data.DistributedSampler (shuffle: randperm with a generator seeded seed + epoch, padded to a
// multiple of the world size, rank::world) and DataLoader(batch_size, drop_last=True), as prepare_dataloader@v1.2.0
// builds them for VideoTextDataset (StatefulDistributedSampler, seed left at its default 0); spec/training.md §13.1.
import OpenSora

/// train_vae.py's sampler: one shuffled order of every row per epoch, this rank's share of it, cut into
/// `batchSize` batches with the incomplete last one dropped. A resume continues at a batch position (the
/// reference's `start_index` counts batches as if they were samples, which is exact only for batch size 1).
public struct DistributedSampler: Sendable {
    public let count: Int
    public let batchSize: Int
    /// DistributedSampler's own seed: 0 in the reference, whatever the run's `seed` is.
    public let seed: UInt64
    public let shuffle: Bool
    public let shard: DataShard

    public init(count: Int, batchSize: Int, seed: UInt64 = 0, shuffle: Bool = true, shard: DataShard = .single) {
        (self.count, self.batchSize, self.seed, self.shuffle, self.shard) = (count, Swift.max(1, batchSize), seed, shuffle, shard)
    }

    /// This rank's rows of `epoch`, in order: the permutation padded from its front to a multiple of the world size.
    public func rows(epoch: Int) throws -> [Int] {
        guard epoch >= 0 else { throw BatchSamplerError.invalidEpoch(epoch) }
        var order = Array(0..<count)
        if shuffle {
            var generator = TorchGenerator(seed: seed &+ UInt64(epoch))
            order = try generator.randomPermutation(count)
        }
        let world = shard.worldSize, perRank = (count + world - 1) / world
        while order.count < perRank * world, !order.isEmpty { order += order.prefix(perRank * world - order.count) }
        return stride(from: shard.rank, to: order.count, by: world).map { order[$0] }
    }

    public func batchCount(epoch: Int) throws -> Int { try rows(epoch: epoch).count / batchSize }

    /// The batches of `epoch` from batch `position` on, as `shape` requests.
    public func batches(epoch: Int, from position: Int, shape: BucketShape) throws -> [SampledBatch] {
        let rows = try rows(epoch: epoch), bucket = Self.label(for: shape)
        return (Swift.max(0, position)..<(rows.count / batchSize)).map { b in
            SampledBatch(bucket: bucket, shape: shape, rows: Array(rows[(b * batchSize)..<((b + 1) * batchSize)]))
        }
    }

    /// The bucket a fixed-shape batch is filed under: VideoTextDataset has no buckets, so this label only
    /// names the shape ("256", its frame count, ratio 1.0) for the batch types the loader shares.
    static func label(for shape: BucketShape) -> BucketID {
        BucketID(resolution: Resolution.allCases.first { $0.rawValue == "256" } ?? Resolution.allCases[0],
                 frameCount: shape.frameCount, aspectRatioKey: "1.0")
    }
}
