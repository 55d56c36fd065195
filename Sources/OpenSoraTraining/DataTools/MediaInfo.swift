// Reference: tools/datasets/datautil.py@v1.2.0 (get_info: images opened with PIL, num_frames 1 and fps NaN; videos
// fully decoded, fps the stream's average rate; any failure (0, 0, 0, NaN, NaN, NaN)); spec/tools.md §5.
// Ours decodes through ffprobe -count_frames (every frame decoded, as PyAV does) and keeps the failure's reason.
import Foundation
import OpenSora

/// What `data info` measures of one file.
public struct MediaInfo: Equatable, Sendable {
    public var numFrames: Int
    public var height: Int
    public var width: Int
    /// nil for images and failures (the reference's NaN).
    public var fps: Double?
    /// Why the file could not be read (the row keeps the reference's zeros); nil when it could.
    public var error: String?

    /// The columns `data info` sets, in the reference's order, then ours.
    public static let columns = ["num_frames", "height", "width", "aspect_ratio", "fps", "resolution"]
    public static let errorColumn = "error"

    public static func failure(_ reason: String) -> MediaInfo { MediaInfo(numFrames: 0, height: 0, width: 0, fps: nil, error: reason) }

    /// Probes `path` (decoding every frame of a video); never throws: an unreadable file is a failure row.
    public static func probe(_ path: String, kind: MediaKind?) -> MediaInfo {
        guard let kind else { return failure("unsupported extension; accepted: \((MediaKind.videoExtensions + MediaKind.imageExtensions).joined(separator: ", "))") }
        guard FileManager.default.fileExists(atPath: path) else { return failure("no such file") }
        do {
            var arguments = ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,nb_read_frames,avg_frame_rate", "-of", "json"]
            if kind == .video { arguments.insert("-count_frames", at: 2) }
            let out = try FFmpeg.run(arguments + [path], tool: "ffprobe")
            guard let json = try JSONSerialization.jsonObject(with: out) as? [String: Any],
                  let stream = (json["streams"] as? [[String: Any]])?.first,
                  let width = stream["width"] as? Int, let height = stream["height"] as? Int, width > 0, height > 0
            else { return failure("no video stream") }
            guard kind == .video else { return MediaInfo(numFrames: 1, height: height, width: width, fps: nil, error: nil) }
            let frames = Int(stream["nb_read_frames"] as? String ?? "") ?? 0
            guard frames > 0 else { return failure("no decodable frames") }
            let rate = (stream["avg_frame_rate"] as? String ?? "").split(separator: "/").compactMap { Double($0) }
            let fps = rate.count == 2 && rate[1] != 0 ? rate[0] / rate[1] : nil
            return MediaInfo(numFrames: frames, height: height, width: width, fps: fps, error: nil)
        } catch {
            return failure("\(error)")
        }
    }

    /// The row's values for `columns` as pandas writes them (NaN empty, resolution an integer; `DataInfoTool` makes it a
    /// float when the table holds a failure).
    public var fields: [String] {
        let ok = error == nil
        let aspect = ok ? "\(Double(height) / Double(width))" : ""
        let resolution = ok ? "\(height * width)" : ""
        return ["\(numFrames)", "\(height)", "\(width)", aspect, fps.map { "\($0)" } ?? "", resolution]
    }
}
