// Reference: eval/vae/eval_common_metric.py@v1.2.0 (the driver's final per-metric number);
// spec/evaluation.md §2.2–2.4.
import Foundation
import MLXTensor
import OpenSora

/// What `opensora eval vae` measured: the settings, PSNR/SSIM per clip and per frame, the rows that
/// could not be read, and the overall numbers (`VideoQuality.driverMetric` over the clips, batch size 1,
/// i.e. the mean over every (clip, frame) pair).
public struct VAEReconstructionReport: Codable, Equatable, Sendable {
    public struct Settings: Codable, Equatable, Sendable {
        public var data: String
        public var checkpoint: String
        public var numFrames: Int
        public var height: Int
        public var width: Int
        /// Frames the VAE encodes at once (nil: the whole clip).
        public var microFrameSize: Int?
        public var seed: UInt64

        public init(data: String, checkpoint: String, numFrames: Int, height: Int, width: Int, microFrameSize: Int?, seed: UInt64) {
            self.data = data
            self.checkpoint = checkpoint
            self.numFrames = numFrames
            self.height = height
            self.width = width
            self.microFrameSize = microFrameSize
            self.seed = seed
        }

        enum CodingKeys: String, CodingKey {
            case data, checkpoint, seed, height, width
            case numFrames = "num_frames"
            case microFrameSize = "micro_frame_size"
        }
    }

    /// One clip: the CSV row, the frames taken from the file, the clip's mean PSNR/SSIM and per frame.
    public struct Clip: Codable, Equatable, Sendable {
        public var row: Int
        public var path: String
        public var frameIndices: [Int]
        public var psnr: Double
        public var ssim: Double
        public var psnrPerFrame: [Double]
        public var ssimPerFrame: [Double]

        enum CodingKeys: String, CodingKey {
            case row, path, psnr, ssim
            case frameIndices = "frame_indices"
            case psnrPerFrame = "psnr_per_frame"
            case ssimPerFrame = "ssim_per_frame"
        }
    }

    /// A row that could not be evaluated, and why.
    public struct Skipped: Codable, Equatable, Sendable {
        public var row: Int
        public var path: String
        public var reason: String
    }

    public var settings: Settings
    public var clips: [Clip]
    public var skipped: [Skipped]
    public var psnr: Double
    public var ssim: Double

    public init(settings: Settings, clips: [Clip], skipped: [Skipped]) {
        self.settings = settings
        self.clips = clips
        self.skipped = skipped
        psnr = VideoQuality.driverMetric(clips.map(\.psnrPerFrame))
        ssim = VideoQuality.driverMetric(clips.map(\.ssimPerFrame))
    }

    /// Pretty, key-sorted JSON, written atomically (a reader never sees half a report).
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: path)
    }
}
