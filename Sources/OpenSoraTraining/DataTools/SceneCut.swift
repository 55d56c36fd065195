// Reference: tools/scene_cut/cut.py@v1.2.0 (per row: the `timestamp` scene list, each timecode read as a PySceneDetect
// FrameTimecode at fps = 1 — whole seconds, Python's round-half-even; scenes under --min_seconds skipped, longer than
// --max_seconds kept from the start; `{stem}_scene-{k}.mp4` numbered over all scenes, under the row's relpath folder;
// ffmpeg -ss S -i V -t D [-r F] [-vf scale short side → N] -map 0:v); spec/tools.md §4, pitfall 3.
import Foundation
import OpenSora

/// How `data cut` turns a row's scenes into clip files.
public struct SceneCut: Sendable {
    public var minSeconds: Double?
    public var maxSeconds: Double?
    public var targetFPS: Int?
    /// The short side of a clip whose source is larger (the other side even); nil keeps the size.
    public var shorterSize: Int? = 1080
    /// Cut at the timestamps' own precision instead of the reference's whole seconds (added).
    public var frameAccurate = false

    public init() {}

    /// One clip to write: the scene's index, where it starts and how long it runs, in seconds.
    public struct Clip: Equatable, Sendable {
        public var index: Int
        public var start: Double
        public var duration: Double
    }

    /// The scenes of a `timestamp` value; nil when it is not a `[...]` list (the reference skips such rows).
    public static func scenes(_ literal: String) -> [(start: String, end: String)]? {
        let text = literal.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("["), text.hasSuffix("]") else { return nil }
        let pattern = try! NSRegularExpression(pattern: #"\(\s*['"]([^'"]*)['"]\s*,\s*['"]([^'"]*)['"]\s*\)"#)
        let ns = text as NSString
        return pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).map {
            (ns.substring(with: $0.range(at: 1)), ns.substring(with: $0.range(at: 2)))
        }
    }

    /// Seconds of 'HH:MM:SS[.nnn]' (or plain seconds), nil when malformed.
    public static func seconds(_ timecode: String) -> Double? {
        let parts = timecode.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), let last = Double(parts.last!), last >= 0, last.isFinite else { return nil }
        var minutes = 0.0
        for p in parts.dropLast() {
            guard let v = Int(p), v >= 0 else { return nil }
            minutes = minutes * 60 + Double(v)
        }
        return minutes * 60 + last
    }

    /// The clips of a scene list under these rules (skipped scenes keep their index).
    public func clips(_ scenes: [(start: String, end: String)]) throws -> [Clip] {
        try scenes.enumerated().compactMap { index, scene in
            guard let a = Self.seconds(scene.start), let b = Self.seconds(scene.end) else {
                throw DataToolError.badTimestamp("('\(scene.start)', '\(scene.end)')")
            }
            // FrameTimecode at fps 1: round(seconds) half to even; a difference never below 0.
            let s = frameAccurate ? a : a.rounded(.toNearestOrEven), t = frameAccurate ? b : b.rounded(.toNearestOrEven)
            var duration = max(0, t - s)
            if let minSeconds, duration < minSeconds { return nil }
            if let maxSeconds { duration = min(duration, frameAccurate ? maxSeconds : maxSeconds.rounded(.toNearestOrEven)) }
            return Clip(index: index, start: s, duration: duration)
        }
    }

    /// ffmpeg's arguments for one clip (nil clip: the whole video), writing `output`.
    public func ffmpegArguments(video: String, clip: Clip?, output: String, scale: Bool) -> [String] {
        var args = ["-v", "error", "-nostdin", "-y"]
        if let clip { args += ["-ss", "\(clip.start)", "-i", video, "-t", "\(clip.duration)"] } else { args += ["-i", video] }
        if let targetFPS { args += ["-r", "\(targetFPS)"] }
        if scale, let n = shorterSize { args += ["-vf", "scale='if(gt(iw,ih),-2,\(n))':'if(gt(iw,ih),\(n),-2)'"] }
        return args + ["-map", "0:v", "-f", "mp4", output]
    }
}
