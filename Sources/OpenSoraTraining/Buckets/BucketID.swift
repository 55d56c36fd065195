// Reference: opensora/datasets/bucket.py@v1.2.0 (get_bucket_id returns (hw_id, t_id, ar_id)); spec/training.md §4.1.
import OpenSora

/// One bucket: a resolution, a frame count and an aspect-ratio key of that resolution's table.
public struct BucketID: Hashable, Sendable, CustomStringConvertible {
    public var resolution: Resolution
    public var frameCount: Int
    /// A key of the resolution's aspect-ratio table as the reference spells it ("0.56", "1.0").
    public var aspectRatioKey: String

    public init(resolution: Resolution, frameCount: Int, aspectRatioKey: String) {
        self.resolution = resolution
        self.frameCount = frameCount
        self.aspectRatioKey = aspectRatioKey
    }

    public var description: String { "(\(resolution), \(frameCount), \(aspectRatioKey))" }
}

/// The tensor shape of a bucket's samples (`Bucket.get_thw`): frames and frame size.
public struct BucketShape: Hashable, Sendable {
    public var frameCount: Int
    public var size: VideoSize

    public init(frameCount: Int, size: VideoSize) {
        self.frameCount = frameCount
        self.size = size
    }
}
