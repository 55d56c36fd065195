// Reference: opensora/datasets/sampler.py@v1.2.0 (__iter__ yields f"{idx}-{real_t}-{real_h}-{real_w}").

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
