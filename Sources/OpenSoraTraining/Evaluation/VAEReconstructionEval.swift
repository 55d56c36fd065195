// Reference: scripts/inference_vae.py@v1.2.0 (encode, decode, save the original and the reconstruction)
// with configs/vae/inference/video.py, then eval/vae/eval_common_metric.py (PSNR, SSIM of the saved files);
// spec/evaluation.md §2.1–2.4.
//
// The reference writes both videos as uint8 MP4 files and scores the files; here both go through the
// same uint8 conversion (`VideoFrames(pixels:)`, save_sample's rule) and are scored in memory, so the
// H.264 loss of the two files is not part of the number. Clips are read by the training dataset's
// reader: a random temporal crop (seeded per row, where the reference draws from Python's `random`
// seeded 42) and the `center` transform for videos; an image row is one frame (the reference's ADM
// crop of images, repeated to num_frames, is not reproduced: images go through the training path).
import Foundation
import MLXTensor
import OpenSora

/// Reconstructs every clip of a dataset table and scores it: per clip, then over all clips.
public struct VAEReconstructionEval {
    /// Pixels `[1, 3, T, H, W]` in [−1, 1] → their reconstruction, same shape; `key` is the clip's own
    /// (the VAE samples its posteriors). Injectable, so a test can hand in a known distortion.
    public typealias Reconstruction = (_ pixels: Tensor, _ key: RandomKey) throws -> Tensor

    public let dataset: TrainingDataset
    public let shape: BucketShape
    public let seed: UInt64
    /// Evaluate at most this many clips (the reference's `num_samples`); nil: every row.
    public let limit: Int?

    public init(dataset: TrainingDataset, shape: BucketShape, seed: UInt64 = 42, limit: Int? = nil) throws {
        guard shape.frameCount >= 1 else { throw OpenSoraError.invalidInput("eval vae: num_frames \(shape.frameCount) must be at least 1") }
        guard shape.size.height >= 11, shape.size.width >= 11 else {
            throw OpenSoraError.invalidInput("eval vae: image size \(shape.size) is smaller than SSIM's 11×11 window")
        }
        if let limit, limit < 1 { throw OpenSoraError.invalidInput("eval vae: num_samples \(limit) must be at least 1") }
        self.dataset = dataset
        self.shape = shape
        self.seed = seed
        self.limit = limit
    }

    /// Encode then decode with `vae` (posteriors sampled from the clip's key, as the reference samples them).
    public static func autoencode(_ vae: VideoVAE) -> Reconstruction {
        { pixels, key in try vae.decode(try vae.encode(pixels, key: key), numFrames: pixels.dim(2)) }
    }

    /// One evaluated clip: its scores, and the two videos as written to the side-by-side file.
    public struct ClipResult {
        public let clip: VAEReconstructionReport.Clip
        public let original: VideoFrames
        public let reconstruction: VideoFrames
    }

    /// Every row in order; `onClip` sees each clip as it is scored, `onSkip` each row that cannot be read
    /// (missing, too short, undecodable: recorded and passed over). Throws when no clip could be scored.
    public func run(settings: VAEReconstructionReport.Settings, reconstruct: Reconstruction,
                    onClip: (ClipResult) throws -> Void = { _ in },
                    onSkip: (VAEReconstructionReport.Skipped) -> Void = { _ in }) throws -> VAEReconstructionReport {
        var clips = [VAEReconstructionReport.Clip](), skipped = [VAEReconstructionReport.Skipped]()
        let root = RandomKey(seed: seed)
        for row in dataset.table.rows.indices {
            if let limit, clips.count >= limit { break }
            var random = NumPyRandom(seedSequence: SeedSequence(entropyWords: [
                UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32), UInt32(truncatingIfNeeded: row),
            ]))
            switch dataset.sample(row: row, shape: shape, random: &random) {
            case .failure(let failure):
                let skip = VAEReconstructionReport.Skipped(row: row, path: failure.path, reason: failure.description)
                skipped.append(skip)
                onSkip(skip)
            case .success(let sample):
                let result = try evaluate(sample, path: dataset.table.rows[row].path, key: root.child(row), reconstruct: reconstruct)
                clips.append(result.clip)
                try onClip(result)
            }
        }
        guard !clips.isEmpty else {
            throw OpenSoraError.invalidInput("eval vae: none of the \(dataset.table.rows.count) rows of \(settings.data) could be read"
                + (skipped.first.map { " (first: \($0.reason))" } ?? ""))
        }
        return VAEReconstructionReport(settings: settings, clips: clips, skipped: skipped)
    }

    /// Reconstructs one sample and scores the pair on the uint8 frames both would be saved as.
    func evaluate(_ sample: TrainingSample, path: String, key: RandomKey, reconstruct: Reconstruction) throws -> ClipResult {
        let shape = [1, 3, sample.frameIndices.count, sample.height, sample.width]
        let pixels = Tensor(sample.pixels, shape: shape)
        let output = try reconstruct(pixels, key)
        guard output.shape == shape else {
            throw OpenSoraError.invalidInput("eval vae: the reconstruction of \(path) has shape \(output.shape), expected \(shape) "
                + "(image sides must be multiples of the VAE's downsampling factor)")
        }
        let original = try VideoFrames(pixels: pixels[0]), reconstruction = try VideoFrames(pixels: output[0])
        let quality = try VideoQuality.evaluate(real: Self.unitInterval(original), generated: Self.unitInterval(reconstruction))
        let psnr = quality.psnrFrame[0], ssim = quality.ssimFrame[0]
        let clip = VAEReconstructionReport.Clip(row: sample.row, path: path, frameIndices: sample.frameIndices,
                                                psnr: psnr.reduce(0, +) / Double(psnr.count), ssim: ssim.reduce(0, +) / Double(ssim.count),
                                                psnrPerFrame: psnr, ssimPerFrame: ssim)
        return ClipResult(clip: clip, original: original, reconstruction: reconstruction)
    }

    /// uint8 frames → `[1, T, 3, H, W]` in [0, 1] (x / 255), the layout `VideoQuality` scores.
    static func unitInterval(_ frames: VideoFrames) -> Tensor {
        let bytes = frames.rgb.withUnsafeBytes { Tensor(bytes: $0, shape: [1, frames.count, frames.size.height, frames.size.width, 3], dtype: .uint8) }
        return (bytes.asType(.float32) / 255).transposed(0, 1, 4, 2, 3)
    }

    /// Original | reconstruction, side by side in each frame.
    public static func sideBySide(_ left: VideoFrames, _ right: VideoFrames) -> VideoFrames {
        let (h, w) = (left.size.height, left.size.width), row = w * 3
        var rgb = [UInt8]()
        rgb.reserveCapacity(left.rgb.count * 2)
        for f in 0..<left.count {
            for y in 0..<h {
                let start = (f * h + y) * row
                rgb += left.rgb[start..<(start + row)]
                rgb += right.rgb[start..<(start + row)]
            }
        }
        return VideoFrames(count: left.count, size: VideoSize(height: h, width: 2 * w), rgb: rgb)
    }
}
