// Reference: torch default_collate over VariableVideoTextDataset's dicts (spec/training.md §3.5): one bucket
// per batch, so every video has the same shape.
import MLXTensor

/// Samples of one bucket stacked: `video [B, 3, T, H, W]` and the per-sample conditioning fields.
public struct TrainingBatch: Equatable, Sendable {
    public let samples: [TrainingSample]
    public let bucket: BucketID

    public var count: Int { samples.count }
    public var texts: [String] { samples.map(\.text) }
    public var fps: [Double] { samples.map(\.fps) }
    public var numFrames: [Int] { samples.map(\.numFrames) }
    public var heights: [Int] { samples.map(\.height) }
    public var widths: [Int] { samples.map(\.width) }
    public var aspectRatios: [Double] { samples.map(\.aspectRatio) }

    /// `[B, 3, T, H, W]` float32 in [−1, 1]; a batch of images has T = 1.
    public var video: Tensor {
        guard let first = samples.first else { return Tensor(failure: .shapeMismatch("[TrainingBatch] no samples")) }
        let t = first.pixels.count / Swift.max(1, 3 * first.height * first.width)
        return Tensor(samples.flatMap(\.pixels), shape: [samples.count, 3, t, first.height, first.width])
    }
}
