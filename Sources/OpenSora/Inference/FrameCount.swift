// Reference: opensora/datasets/aspect.py@v1.2.0 (NUM_FRAMES_MAP, get_num_frames),
// opensora/utils/inference_utils.py@v1.2.0 (dframe_to_frame); spec/inference.md §4.

/// Frame counts by name ("2s" = 51 frames at 24 fps, "4s", "8s", "16s", "1x" …) or number.
public enum FrameCount {
    public static let names: [(name: String, frames: Int)] = [
        ("1x", 51), ("2x", 102), ("4x", 204), ("8x", 408), ("16x", 816),
        ("2s", 51), ("4s", 102), ("8s", 204), ("16s", 408), ("32s", 816),
    ]

    /// The frame count of a name or an integer string (Python `int()` rules: surrounding spaces, sign).
    public static func parse(_ text: String) throws -> Int {
        if let named = names.first(where: { $0.name == text }) { return named.frames }
        let trimmed = text.trimmingPythonWhitespace()
        guard let n = Int(trimmed) else {
            throw OpenSoraError.invalidInput("invalid frame count '\(text)'; accepted: a number or one of "
                + names.map(\.name).joined(separator: ", "))
        }
        return n
    }

    /// Pixel frames covered by `latentFrames` latent frames in whole 17-frame VAE clips (5 → 17).
    public static func pixelFrames(forLatent latentFrames: Int) throws -> Int {
        guard latentFrames % 5 == 0 else {
            throw OpenSoraError.invalidInput("condition frame length \(latentFrames) must be a multiple of 5 latent frames")
        }
        return latentFrames / 5 * 17
    }
}
