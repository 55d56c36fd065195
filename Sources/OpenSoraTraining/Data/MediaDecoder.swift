// Reference: opensora/datasets/read_video.py@v1.2.0 (read_video_av: every frame as RGB, video_fps from the
// stream's average_rate) and torchvision's pil_loader (RGB); decoded here with ffmpeg at the native size, the
// YUV→RGB conversion with swscale's bilinear flag as PyAV's to_rgb() uses it.
import Foundation
import OpenSora

/// A file decoded at its own size: every frame (one for an image) as uint8 RGB, and the stream's average
/// frame rate when it has one. Like PyAV in the reference, the whole clip is held in memory before the
/// temporal crop picks its frames.
struct DecodedMedia {
    var size: VideoSize
    /// Every frame, row-major RGB, one after another.
    var bytes: [UInt8]
    var frameCount: Int
    var averageFPS: Double?

    func frame(_ i: Int) -> [UInt8] {
        let n = size.height * size.width * 3
        return Array(bytes[(i * n)..<((i + 1) * n)])
    }

    static func decode(_ path: String, kind: MediaKind) throws -> DecodedMedia {
        let probe = try FFmpeg.run(["-v", "error", "-select_streams", "v:0", "-show_entries",
                                    "stream=width,height,avg_frame_rate", "-of", "json", path], tool: "ffprobe")
        guard let json = try JSONSerialization.jsonObject(with: probe) as? [String: Any],
              let stream = (json["streams"] as? [[String: Any]])?.first,
              let width = stream["width"] as? Int, let height = stream["height"] as? Int, width > 0, height > 0
        else { throw DecodeFailure(message: "no video stream") }
        let rate = (stream["avg_frame_rate"] as? String ?? "").split(separator: "/").compactMap { Double($0) }
        let fps = rate.count == 2 && rate[1] != 0 && rate[0] > 0 ? rate[0] / rate[1] : nil
        let data = try FFmpeg.run(["-v", "error", "-i", path] + (kind == .image ? ["-frames:v", "1"] : [])
            + ["-sws_flags", "bilinear", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        let frameBytes = width * height * 3
        let bytes = [UInt8](data)
        let count = bytes.count / frameBytes
        guard count > 0 else { throw DecodeFailure(message: "no decodable frames") }
        return DecodedMedia(size: VideoSize(height: height, width: width), bytes: bytes, frameCount: count, averageFPS: fps)
    }
}

/// A file ffmpeg opened but that holds nothing to decode.
struct DecodeFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
