// Reference: torchvision write_video (H.264, yuv420p) / save_image as Open-Sora's save_sample uses them.
import Foundation
import MLXTensor

/// Output containers.
public enum OutputFormat: String, CaseIterable, Codable, Sendable {
    /// H.264 MP4 (a single frame becomes a PNG, as the reference does).
    case mp4
    /// A folder of numbered PNG frames.
    case png
    case gif
}

/// Writes frames through ffmpeg to a temporary name beside the target, then renames it over the
/// target (AtomicFile): an interrupted or failed write leaves the previous file, or nothing, never a part.
public enum VideoWriter {
    /// Writes `frames` to `basePath` + the format's extension; returns the final path. `crf` sets H.264's constant
    /// rate factor (x264's default 23 when nil; lower is closer to the frames).
    @discardableResult
    public static func write(_ frames: VideoFrames, to basePath: String, format: OutputFormat, fps: Int, crf: Int? = nil) throws -> String {
        guard frames.count > 0, frames.size.height > 0, frames.size.width > 0 else {
            throw OpenSoraError.invalidInput("video writer: no frames to write to \(basePath)")
        }
        let input = ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(frames.size.width)x\(frames.size.height)", "-r", "\(fps)", "-i", "-"]
        let data = Data(frames.rgb)
        func encode(_ output: [String]) throws { try FFmpeg.run(["-v", "error", "-y"] + input + output, input: data) }
        let target: String, output: (String) throws -> Void
        switch format {
        case .mp4 where frames.count == 1:
            target = basePath + ".png"
            output = { try encode(["-frames:v", "1", "-f", "image2", "-c:v", "png", $0]) }
        case .mp4:
            target = basePath + ".mp4"
            let rate = crf.map { ["-crf", "\($0)"] } ?? []
            output = { try encode(["-c:v", "libx264"] + rate + ["-pix_fmt", "yuv420p", "-f", "mp4", $0]) }
        case .gif:
            target = basePath + ".gif"
            output = { try encode(["-filter_complex", "[0:v]split[a][b];[a]palettegen[p];[b][p]paletteuse", "-f", "gif", $0]) }
        case .png:
            target = basePath
            output = { temp in
                try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
                try encode(["-f", "image2", "-c:v", "png", (temp as NSString).appendingPathComponent("%04d.png")])
            }
        }
        try AtomicFile.write(to: target, output)
        return target
    }
}
