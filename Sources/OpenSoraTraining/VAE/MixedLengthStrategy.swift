// Reference: scripts/train_vae.py@v1.2.0 ("mixed training setting"); spec/training.md §13.3.
import MLXTensor

/// How train_vae.py shortens each batch before the forward (the whole batch at once, from the front).
public enum MixedLengthStrategy: String, Codable, Sendable, CaseIterable {
    /// With probability `mixed_image_ratio` keep only the first frame (`x[:, :, :1]`), else all frames.
    case videoImage = "mixed_video_image"
    /// Keep the first n frames, n uniform over 1…T (`random.randint(1, T)`, both ends included).
    case videoRandom = "mixed_video_random"

    /// The frames kept of a `frames`-frame clip for a uniform `draw` in [0, 1): the draw replaces
    /// `random.random()` (compared with `imageRatio`) or picks n = 1 + ⌊draw·T⌋.
    public func keptFrames(of frames: Int, draw: Double, imageRatio: Double) throws -> Int {
        try Self.validate(frames: frames, draw: draw)
        switch self {
        case .videoImage: return draw < imageRatio ? 1 : frames
        case .videoRandom: return Swift.min(1 + Int((draw * Double(frames)).rounded(.down)), frames)
        }
    }

    static func validate(frames: Int, draw: Double) throws {
        guard frames > 0 else { throw VAETrainingError.invalidMixedLength("a clip needs at least 1 frame, got \(frames)") }
        guard draw >= 0, draw < 1 else { throw VAETrainingError.invalidMixedLength("the draw must lie in [0, 1), got \(draw)") }
    }
}

extension Tensor {
    /// The first `frames` frames of [B, C, T, H, W] (`x[:, :, :length]`).
    public func keepingFirstFrames(_ frames: Int) -> Tensor { self[.all, .all, 0..<frames] }
}
