// Reference: opensora/datasets/utils.py@v1.2.0 (read_from_path, resize_crop); spec/inference.md §9.1.
import Foundation

/// Reads images and videos through ffmpeg, resized to cover the target size and centre-cropped
/// (bicubic for images, bilinear for videos, like the reference's transforms).
public enum VideoReader {
    public static let videoExtensions: Set<String> = ["mp4", "avi", "mov", "mkv", "webm", "gif"]
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "bmp", "webp", "tif", "tiff"]

    /// Every frame of `path` at `size` (an image gives one frame).
    public static func read(_ path: String, size: VideoSize) throws -> VideoFrames {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw OpenSoraError.invalidInput("cannot read reference '\(path)': no such readable file")
        }
        let ext = (path as NSString).pathExtension.lowercased()
        guard videoExtensions.contains(ext) || imageExtensions.contains(ext) else {
            throw OpenSoraError.invalidInput("reference '\(path)': unsupported extension '.\(ext)'; accepted: "
                + (imageExtensions.union(videoExtensions)).sorted().joined(separator: ", "))
        }
        let isImage = imageExtensions.contains(ext)
        let (w, h) = (size.width, size.height)
        let filter = "scale=\(w):\(h):force_original_aspect_ratio=increase:flags=\(isImage ? "bicubic" : "bilinear"),crop=\(w):\(h)"
        let data: Data
        do {
            data = try FFmpeg.run(["-v", "error", "-i", path] + (isImage ? ["-frames:v", "1"] : [])
                + ["-vf", filter, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        } catch {
            throw OpenSoraError.invalidInput("cannot decode reference '\(path)': \(error)")
        }
        let frame = w * h * 3
        guard data.count >= frame else { throw OpenSoraError.invalidInput("reference '\(path)' has no decodable frames") }
        return VideoFrames(count: data.count / frame, size: size, rgb: [UInt8](data.prefix(data.count / frame * frame)))
    }

    /// Frame count, size and frame rate of a media file (ffprobe). Counting decodes every frame; a caller that decodes
    /// the video itself passes `countFrames: false` and gets 0 frames.
    public static func probe(_ path: String, countFrames: Bool = true) throws -> (frames: Int, size: VideoSize, fps: Double) {
        let out = try FFmpeg.run(["-v", "error", "-select_streams", "v:0"] + (countFrames ? ["-count_frames"] : []) + ["-show_entries",
                                  "stream=width,height,nb_read_frames,r_frame_rate", "-of", "json", path], tool: "ffprobe")
        guard let json = try JSONSerialization.jsonObject(with: out) as? [String: Any],
              let stream = (json["streams"] as? [[String: Any]])?.first
        else { throw FFmpeg.Failure(message: "ffprobe found no video stream in \(path)") }
        let rate = (stream["r_frame_rate"] as? String ?? "0/1").split(separator: "/").compactMap { Double($0) }
        return (Int(stream["nb_read_frames"] as? String ?? "") ?? 0,
                VideoSize(height: stream["height"] as? Int ?? 0, width: stream["width"] as? Int ?? 0),
                rate.count == 2 && rate[1] != 0 ? rate[0] / rate[1] : 0)
    }
}
