import Foundation
import OpenSora

/// A temporary folder of small media files written with ffmpeg: lossless FFV1 videos in Matroska and PNG
/// images, so decoded pixels equal the written ones.
final class ClipFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("clips-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// `frames` frames of `size`; byte (frame, y, x, c) = `pattern`.
    @discardableResult
    func video(_ name: String, frames: Int, size: VideoSize, fps: String = "24",
               pattern: (Int, Int, Int, Int) -> UInt8) throws -> String {
        let out = file(name)
        try FFmpeg.run(["-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(size.width)x\(size.height)", "-r", fps,
                        "-i", "-", "-c:v", "ffv1", "-pix_fmt", "bgr0", out], input: Self.bytes(frames, size, pattern))
        return out
    }

    @discardableResult
    func image(_ name: String, size: VideoSize, pattern: (Int, Int, Int) -> UInt8) throws -> String {
        let out = file(name)
        try FFmpeg.run(["-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(size.width)x\(size.height)",
                        "-i", "-", "-frames:v", "1", "-c:v", "png", out], input: Self.bytes(1, size) { _, y, x, c in pattern(y, x, c) })
        return out
    }

    /// `count` clips of a `side`-pixel square moving right `speed` pixels a frame on a dark ground (one colour per clip);
    /// returns their CSV rows (path, text, num_frames, height, width).
    func movingSquares(_ count: Int, frames: Int, size: VideoSize, side: Int, speed: Int) throws -> [String] {
        try (0..<count).map { i in
            try video("v\(i).mkv", frames: frames, size: size) { f, y, x, c in
                let left = (speed * f + 5 * side / 6 * i) % (size.width - side)
                let top = (size.height - side) / 2
                let inside = x >= left && x < left + side && y >= top && y < top + side
                return inside ? UInt8([220, 40 + 50 * i, 60][c] % 256) : 16
            }
            return "v\(i).mkv,a square moving right number \(i),\(frames),\(size.height),\(size.width)"
        }
    }

    /// `count` still images of distinct gradients; returns their CSV rows.
    func stills(_ count: Int, size: VideoSize) throws -> [String] {
        try (0..<count).map { i in
            try image("i\(i).png", size: size) { y, x, c in UInt8((x * (i + 1) + y * 3 + c * 50) % 256) }
            return "i\(i).png,a still pattern number \(i),1,\(size.height),\(size.width)"
        }
    }

    static func bytes(_ frames: Int, _ size: VideoSize, _ pattern: (Int, Int, Int, Int) -> UInt8) -> Data {
        var d = Data(capacity: frames * size.height * size.width * 3)
        for f in 0..<frames { for y in 0..<size.height { for x in 0..<size.width { for c in 0..<3 { d.append(pattern(f, y, x, c)) } } } }
        return d
    }
}
