// Reference: opensora/datasets/bucket.py@v1.2.0 (Bucket.__init__'s assertion, get_bucket_id's TypeErrors);
// spec/training.md §4.1. Each message names the bad key or value and what is accepted.

/// A bucket config or bucket lookup the reference would reject (or crash on).
public enum BucketError: Error, Equatable, CustomStringConvertible {
    /// A resolution name with no aspect-ratio table (`AssertionError: Aspect ratio 999p not found.`).
    case unknownResolution(String, accepted: [String])
    /// A `(res_keep, frames_keep)` tuple on the image bucket (the reference's `rng.random() < tuple` TypeError).
    case splitKeepOnImageBucket(resolution: String, keep: KeepProbability)
    case keepOutOfRange(resolution: String, frameCount: Int, value: Double)
    case invalidFrameCount(resolution: String, key: String)
    case invalidBatchSize(resolution: String, frameCount: Int, value: String)
    case duplicate(String)
    /// A value of the wrong shape at a path such as `bucket_config["144p"][51]`.
    case malformed(path: String, found: String, expected: String)
    /// A bucket id this config does not have.
    case unknownBucket(BucketID)
    case invalidFrameInterval(Int)
    /// `seed + bucket index` does not fit the 64-bit seed.
    case seedOverflow(seed: UInt64, offset: Int)

    public var description: String {
        switch self {
        case .unknownResolution(let r, let accepted):
            "unknown resolution '\(r)' in bucket_config; accepted: \(accepted.joined(separator: ", "))"
        case .splitKeepOnImageBucket(let r, let keep):
            "bucket_config[\"\(r)\"][1]: the image bucket takes one keep probability, got the tuple \(keep)"
        case .keepOutOfRange(let r, let t, let v):
            "bucket_config[\"\(r)\"][\(t)]: keep probability \(v) is outside [0, 1]"
        case .invalidFrameCount(let r, let key):
            "bucket_config[\"\(r)\"]: frame count '\(key)' is not an integer ≥ 1"
        case .invalidBatchSize(let r, let t, let v):
            "bucket_config[\"\(r)\"][\(t)]: batch size \(v) is not an integer ≥ 1 or None"
        case .duplicate(let what): "bucket_config: \(what) appears twice"
        case .malformed(let path, let found, let expected): "\(path): expected \(expected), got \(found)"
        case .unknownBucket(let id): "no bucket \(id) in this bucket config"
        case .invalidFrameInterval(let n): "frame interval \(n) must be ≥ 1"
        case .seedOverflow(let seed, let offset): "seed \(seed) + \(offset) does not fit 64 bits"
        }
    }
}
