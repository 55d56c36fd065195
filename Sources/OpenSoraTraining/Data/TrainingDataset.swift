// Reference: opensora/datasets/datasets.py@v1.2.0 (VariableVideoTextDataset.getitem), utils.py
// (temporal_random_crop, get_transforms_video/image "resize_crop"), video_transforms.py; spec/training.md §3.
// VideoTextDataset (train_vae.py, eval) reads the same rows with "center" (get_transforms_video/image "center",
// center_crop_arr for images) and repeats an image to every frame.
// The temporal start comes from a seeded numpy-compatible stream per sample instead of Python's `random`.
import Foundation
import OpenSora

/// Reads rows of a training table as samples of a bucket's shape.
public struct TrainingDataset: Sendable {
    /// `IMG_FPS`: the fps the reference gives images.
    public static let imageFPS = 120.0
    /// The reference's fps when a stream has no average rate.
    public static let defaultFPS = 24.0

    /// How a video's frames are brought to the bucket's size (the reference's `transform_name`).
    public enum Transform: String, Sendable {
        /// `resize_crop`, the training datasets': cover the target, crop (`ResizeCropToFill`, floor offsets).
        case resizeCrop = "resize_crop"
        /// `center`, the VAE datasets': scale by the short side's factor, centre crop (`ResizeCropToFill(centreOf:)`;
        /// images through ADM's `center_crop_arr`, `CenterCrop`).
        case centre = "center"
    }

    public let table: DatasetTable
    public let frameInterval: Int
    public let transform: Transform
    /// VideoTextDataset repeats an image to all of the shape's frames; VariableVideoTextDataset keeps T = 1.
    public let repeatsImages: Bool
    /// Decoded files kept between reads (`dataset.cache_decoded_mb`); nil decodes on every read.
    public let cache: DecodedMediaCache?

    public init(table: DatasetTable, frameInterval: Int = 1, transform: Transform = .resizeCrop, repeatsImages: Bool = false,
                cache: DecodedMediaCache? = nil) throws {
        guard frameInterval >= 1 else { throw BucketError.invalidFrameInterval(frameInterval) }
        self.table = table
        self.frameInterval = frameInterval
        self.transform = transform
        self.repeatsImages = repeatsImages
        self.cache = cache
    }

    /// The sampler's input: one `SampleInfo` per row.
    public var sampleInfos: [SampleInfo] { table.sampleInfos }

    /// Row `row` at `shape`: a video takes `shape.frameCount` frames from a start drawn from `random`;
    /// an image is one frame whatever the bucket's count (the reference's images are T = 1), or that many
    /// copies of it with `repeatsImages`.
    public func sample(row: Int, shape: BucketShape, random: inout NumPyRandom) -> Result<TrainingSample, SampleFailure> {
        guard table.rows.indices.contains(row) else {
            return .failure(SampleFailure(row: row, path: "", reason: .corrupt("row \(row) is not in the table of \(table.rows.count) rows")))
        }
        let info = table.rows[row]
        func fail(_ reason: SampleFailure.Reason) -> Result<TrainingSample, SampleFailure> {
            .failure(SampleFailure(row: row, path: info.path, reason: reason))
        }
        guard let kind = MediaKind(path: info.path) else {
            return fail(.unsupportedFormat((info.path as NSString).pathExtension))
        }
        guard FileManager.default.isReadableFile(atPath: info.path) else { return fail(.missingFile) }
        let media: DecodedMedia
        do { media = try cache?.media(info.path, kind: kind) ?? DecodedMedia.decode(info.path, kind: kind) } catch {
            return fail(.corrupt("\(error)"))
        }
        let (h, w) = (shape.size.height, shape.size.width)
        switch kind {
        case .image:
            var pixels: [Float]
            if transform == .centre, h == w {
                pixels = CenterCrop.imagePixels(media.frame(0), size: media.size, side: h)
            } else {
                let plan = ResizeCropToFill(source: media.size, target: shape.size, rounding: .halfToEven)
                pixels = PILBicubicResize.pixels(media.frame(0), size: media.size, plan: plan)
            }
            let frames = repeatsImages ? shape.frameCount : 1
            if frames > 1 { pixels = Self.repeatingFrame(pixels, count: frames) }
            return .success(TrainingSample(row: row, text: info.text, pixels: pixels, numFrames: shape.frameCount, height: h, width: w,
                                           fps: Self.imageFPS, frameIndices: [Int](repeating: 0, count: frames)))
        case .video:
            let crop = TemporalCrop(frameCount: shape.frameCount, frameInterval: frameInterval)
            let starts = crop.starts(totalFrames: media.frameCount)
            let begin = starts.lowerBound + Swift.min(Int(random.random() * Double(starts.count)), starts.count - 1)
            guard let indices = crop.indices(totalFrames: media.frameCount, begin: begin) else {
                return fail(.tooShort(frames: media.frameCount, needed: shape.frameCount))
            }
            let plan = transform == .centre ? ResizeCropToFill(centreOf: media.size, target: shape.size)
                : ResizeCropToFill(source: media.size, target: shape.size, rounding: .floor)
            let pixels = BilinearResize.pixels(indices.map { media.frame($0) }, size: media.size, plan: plan)
            let fps = ((media.averageFPS ?? Self.defaultFPS) / Double(frameInterval)).rounded(.down)
            return .success(TrainingSample(row: row, text: info.text, pixels: pixels, numFrames: shape.frameCount,
                                           height: h, width: w, fps: fps, frameIndices: indices))
        }
    }

    /// `[3, 1, H, W]` → `[3, count, H, W]`: `image.unsqueeze(0).repeat(num_frames, 1, 1, 1)` in channel-first order.
    static func repeatingFrame(_ pixels: [Float], count: Int) -> [Float] {
        let plane = pixels.count / 3
        return (0..<3).flatMap { c in (0..<count).flatMap { _ in pixels[(c * plane)..<((c + 1) * plane)] } }
    }

    /// Every row of `request`, in order: the samples read and the rows skipped. Sample i draws its start
    /// from `default_rng` seeded with (seed, i), so a batch reads the same wherever and whenever it is read.
    public func read(_ request: BatchRequest) -> (batch: TrainingBatch?, failures: [SampleFailure]) {
        var samples = [TrainingSample](), failures = [SampleFailure]()
        for (i, row) in request.batch.rows.enumerated() {
            var random = NumPyRandom(seedSequence: SeedSequence(entropyWords: [
                UInt32(truncatingIfNeeded: request.seed), UInt32(truncatingIfNeeded: request.seed >> 32), UInt32(truncatingIfNeeded: i),
            ]))
            switch sample(row: row, shape: request.batch.shape, random: &random) {
            case .success(let s): samples.append(s)
            case .failure(let f): failures.append(f)
            }
        }
        return (samples.isEmpty ? nil : TrainingBatch(samples: samples, bucket: request.batch.bucket), failures)
    }
}
