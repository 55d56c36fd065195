// Reference: opensora/datasets/bucket.py@v1.2.0 (Bucket.__init__'s input), configs/opensora-v1-2/train/*.py
// (`bucket_config`); spec/training.md §4.1.
import OpenSora

/// `bucket_config`: resolution → frame count → (keep probability, batch size per GPU), in the order
/// written (which breaks ties between resolutions of equal pixel count).
public struct BucketConfig: Equatable, Sendable {
    /// One (resolution, frame count) entry.
    public struct FrameBucket: Equatable, Sendable {
        public var frameCount: Int
        public var keep: KeepProbability
        /// Per GPU; nil (`None`) marks a sink that should never accept.
        public var batchSize: Int?

        public init(frameCount: Int, keep: KeepProbability, batchSize: Int?) {
            self.frameCount = frameCount
            self.keep = keep
            self.batchSize = batchSize
        }
    }

    /// The frame buckets of one resolution, in the order written.
    public struct ResolutionBuckets: Equatable, Sendable {
        public var resolution: Resolution
        public var frames: [FrameBucket]

        public init(resolution: Resolution, frames: [FrameBucket]) {
            self.resolution = resolution
            self.frames = frames
        }
    }

    public let resolutions: [ResolutionBuckets]

    /// Checks what the reference would reject or crash on: repeated keys, frame counts < 1, keep
    /// probabilities outside [0, 1], batch sizes < 1, and a tuple keep on an image bucket.
    public init(_ resolutions: [ResolutionBuckets]) throws {
        var seen = Set<Resolution>()
        for r in resolutions {
            guard seen.insert(r.resolution).inserted else { throw BucketError.duplicate("resolution \"\(r.resolution)\"") }
            var frames = Set<Int>()
            for f in r.frames {
                let name = r.resolution.rawValue
                guard f.frameCount >= 1 else { throw BucketError.invalidFrameCount(resolution: name, key: "\(f.frameCount)") }
                guard frames.insert(f.frameCount).inserted else {
                    throw BucketError.duplicate("frame count \(f.frameCount) of \"\(name)\"")
                }
                if f.frameCount == 1, case .split = f.keep { throw BucketError.splitKeepOnImageBucket(resolution: name, keep: f.keep) }
                for p in [f.keep.resolutionKeep, f.keep.framesKeep].compactMap({ $0 }) where !(0...1).contains(p) {
                    throw BucketError.keepOutOfRange(resolution: name, frameCount: f.frameCount, value: p)
                }
                if let bs = f.batchSize, bs < 1 {
                    throw BucketError.invalidBatchSize(resolution: name, frameCount: f.frameCount, value: "\(bs)")
                }
            }
        }
        self.resolutions = resolutions
    }

    /// The same config with every keep probability forced to 1 (batch sizes unchanged).
    public var alwaysKept: BucketConfig {
        BucketConfig(checked: resolutions.map { r in
            ResolutionBuckets(resolution: r.resolution, frames: r.frames.map {
                FrameBucket(frameCount: $0.frameCount, keep: $0.keep.alwaysKept, batchSize: $0.batchSize)
            })
        })
    }

    /// For values already checked (presets, transformations of a checked config).
    init(checked resolutions: [ResolutionBuckets]) {
        self.resolutions = resolutions
    }
}
