// Reference: opensora/datasets/utils.py@v1.2.0 (save_sample); spec/inference.md §11.2.
import MLXTensor

/// Frames in memory as uint8 RGB, [T, H, W, 3] row-major.
public struct VideoFrames: Equatable, Sendable {
    public var count: Int
    public var size: VideoSize
    public var rgb: [UInt8]

    public init(count: Int, size: VideoSize, rgb: [UInt8]) {
        self.count = count
        self.size = size
        self.rgb = rgb
    }

    /// From decoded pixels [3, T, H, W] in [−1, 1]: clamp, (x + 1)/2, ·255 + 0.5, clamp, truncate.
    public init(pixels: Tensor) throws {
        guard pixels.ndim == 4, pixels.dim(0) == 3 else {
            throw OpenSoraError.invalidInput("frames: pixels have shape \(pixels.shape); expected [3, T, H, W]")
        }
        let x = ((pixels.clipped(-1, 1) + 1) / 2 * 255 + 0.5).clipped(0, 255).floor().transposed(1, 2, 3, 0)
        count = pixels.dim(1)
        size = VideoSize(height: pixels.dim(2), width: pixels.dim(3))
        rgb = try x.asType(.uint8).toBytes()
    }

    /// To pixels [3, T, H, W] in [−1, 1] (x/255·2 − 1), as references are normalised.
    public func pixels() -> Tensor {
        let t = rgb.withUnsafeBytes { Tensor(bytes: $0, shape: [count, size.height, size.width, 3], dtype: .uint8) }
        return (t.asType(.float32) / 255 * 2 - 1).transposed(3, 0, 1, 2)
    }

    /// Frames [from, to).
    public func slice(_ range: Range<Int>) -> VideoFrames {
        let frame = size.height * size.width * 3
        return VideoFrames(count: range.count, size: size, rgb: Array(rgb[(range.lowerBound * frame)..<(range.upperBound * frame)]))
    }

    public static func concatenate(_ parts: [VideoFrames]) -> VideoFrames {
        VideoFrames(count: parts.reduce(0) { $0 + $1.count }, size: parts.first?.size ?? VideoSize(height: 0, width: 0),
                    rgb: parts.flatMap(\.rgb))
    }
}
