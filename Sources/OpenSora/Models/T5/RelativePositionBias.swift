// Reference: transformers models/t5/modeling_t5.py (T5Attention._relative_position_bucket,
// compute_bias); spec/t5.md §6 step 3.
import Foundation
import MLXTensor

/// The bidirectional relative-position bucket of key position j seen from query i: half the buckets
/// for keys after the query; exact buckets below max_exact, logarithmic ones up to max_distance.
public func t5RelativePositionBucket(_ relative: Int, buckets: Int, maxDistance: Int) -> Int {
    let half = buckets / 2
    var bucket = relative > 0 ? half : 0
    let distance = abs(relative)
    let maxExact = half / 2
    if distance < maxExact { return bucket + distance }
    // float32 as the reference: log(d / max_exact) / log(max_distance / max_exact) · (half − max_exact)
    let ratio = Foundation.log(Float(distance) / Float(maxExact)) / Float(Foundation.log(Double(maxDistance) / Double(maxExact)))
    let large = maxExact + Int(ratio * Float(half - maxExact))
    bucket += min(large, half - 1)
    return bucket
}

/// Bucket indices [L, L] for a sequence of `length` tokens (row = query, column = key).
func t5BucketGrid(length: Int, buckets: Int, maxDistance: Int) -> Tensor {
    var grid = [Int32]()
    grid.reserveCapacity(length * length)
    for i in 0..<length {
        for j in 0..<length { grid.append(Int32(t5RelativePositionBucket(j - i, buckets: buckets, maxDistance: maxDistance))) }
    }
    return Tensor(int32: grid, shape: [length, length])
}
