// Reference: opensora/datasets/sampler.py@v1.2.0 (__iter__: `len(data_list) % bs_per_gpu`); spec/training.md §5.

/// A sampler input the reference would fail on, named with what is accepted.
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
