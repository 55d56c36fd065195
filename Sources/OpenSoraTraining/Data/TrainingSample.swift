// Reference: opensora/datasets/datasets.py@v1.2.0 (VariableVideoTextDataset.getitem's returned dict);
// spec/training.md §3.4.
import OpenSora

/// One sample as the trainer takes it: pixels `[3, T, H, W]` in [−1, 1] and the conditioning fields.
public struct TrainingSample: Equatable, Sendable {
    public var row: Int
    public var text: String
    /// Row-major `[3, numFrames, height, width]`.
    public var pixels: [Float]
    public var numFrames: Int
    public var height: Int
    public var width: Int
    /// `video_fps // frame_interval` for videos (24 when the stream has no average rate), 120 for images.
    public var fps: Double
    /// The frame indices taken from the file (`[0]` for an image).
    public var frameIndices: [Int]

    /// `ar = height / width` of the bucket.
    public var aspectRatio: Double { Double(height) / Double(width) }
}

/// One batch request: the sampler's rows of one bucket, and the seed of their temporal crops.
public struct BatchRequest: Equatable, Sendable {
    public var batch: SampledBatch
    public var seed: UInt64

    public init(batch: SampledBatch, seed: UInt64) {
        self.batch = batch
        self.seed = seed
    }
}
