import Foundation
import MLXTensor
import OpenSora

/// An uploaded reference image or video, checked by its content (ffprobe), never by the name the client gave:
/// stored as `uploads/<server-made id>.<extension of the format found>` so the reader treats it as what it is.
struct ReferenceUpload {
    let path: String
    /// What the content is, for the job's options ("png image 320×240", "h264 video 17 frames").
    let description: String

    static let imageCodecs = ["png": "png", "mjpeg": "jpg", "webp": "webp", "bmp": "bmp", "tiff": "tiff"]
    static let videoFormats = [("mp4", "mp4"), ("mov", "mp4"), ("matroska", "mkv"), ("webm", "webm"), ("avi", "avi"), ("gif", "gif")]

    static func store(_ data: Data, in folder: String, limit: Int) throws -> ReferenceUpload {
        func bad(_ why: String) -> APIError { APIError(.badRequest, code: "invalid_reference", why, field: "reference") }
        guard !data.isEmpty else { throw bad("the reference file is empty; accepted: an image (png, jpg, webp, bmp, tiff) or a video") }
        guard data.count <= limit else {
            throw APIError(.contentTooLarge, code: "reference_too_large", "the reference is \(data.count) bytes; accepted: at most \(limit)",
                           field: "reference")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let id = UUID().uuidString.lowercased()
        let probePath = (folder as NSString).appendingPathComponent("\(id).probe")
        try AtomicFile.write(data, to: probePath)
        defer { try? FileManager.default.removeItem(atPath: probePath) }
        let probe: (codec: String, format: String, width: Int, height: Int)
        do { probe = try Self.probe(probePath) } catch {
            throw bad("the reference is not an image or video ffprobe can read; accepted: png, jpg, webp, bmp, tiff images and mp4, mov, mkv, webm, avi, gif videos")
        }
        let ext: String, kind: String
        if let image = imageCodecs[probe.codec], !probe.format.contains("mp4"), !probe.format.contains("matroska") {
            (ext, kind) = (image, "\(probe.codec) image")
        } else if let video = videoFormats.first(where: { probe.format.contains($0.0) }) {
            (ext, kind) = (video.1, "\(probe.codec) video")
        } else {
            throw bad("the reference's format '\(probe.format.prefix(40))' is not accepted; accepted: png, jpg, webp, bmp, tiff images and mp4, mov, mkv, webm, avi, gif videos")
        }
        let path = (folder as NSString).appendingPathComponent("\(id).\(ext)")
        try FileManager.default.moveItem(atPath: probePath, toPath: path)
        return ReferenceUpload(path: path, description: "\(kind) \(probe.width)×\(probe.height)")
    }

    /// The first video stream's codec and size and the container's format name.
    static func probe(_ path: String) throws -> (codec: String, format: String, width: Int, height: Int) {
        let out = try FFmpeg.run(["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height:format=format_name",
                                  "-of", "json", path], tool: "ffprobe")
        guard let json = try JSONSerialization.jsonObject(with: out) as? [String: Any],
              let stream = (json["streams"] as? [[String: Any]])?.first, let codec = stream["codec_name"] as? String,
              let width = stream["width"] as? Int, let height = stream["height"] as? Int, width > 0, height > 0,
              let format = (json["format"] as? [String: Any])?["format_name"] as? String
        else { throw FFmpeg.Failure(message: "no video stream") }
        return (codec, format, width, height)
    }
}
