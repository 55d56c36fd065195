// Reference: tools/scene_cut/scene_detect.py@v1.2.0 (PySceneDetect `detect(path, AdaptiveDetector(adaptive_threshold=3.0),
// start_in_scene=True)`, the scene list as a Python literal of (start, end) 'HH:MM:SS.mmm' pairs); PySceneDetect's
// AdaptiveDetector defaults (window 2 frames each side, min_content_val 15, min_scene_len 15 frames) and its
// SceneManager's auto-downscale (the long side brought to 256 when longer); spec/tools.md §3.
import Foundation
import OpenSora

/// Content-based scene cuts: a frame whose HSV change stands out from its neighbours' by `adaptiveThreshold` times.
public struct SceneDetector: Sendable {
    public var adaptiveThreshold = 3.0
    /// Frames before and after a frame whose scores make the average it is compared with.
    public var windowWidth = 2
    /// A cut also needs this much change of its own.
    public var minContentValue = 15.0
    /// Frames from the start or the last cut before another cut can happen.
    public var minSceneLength = 15

    public init() {}

    /// The processing size: the long side at most 256 (PySceneDetect's factor max(W, H)/256, sides rounded).
    public static func processingSize(_ size: VideoSize) -> VideoSize {
        let long = max(size.width, size.height)
        guard long >= 256 else { return size }
        let f = Double(long) / 256
        return VideoSize(height: max(1, Int((Double(size.height) / f).rounded())), width: max(1, Int((Double(size.width) / f).rounded())))
    }

    /// The frames where new scenes start (never 0), from per-frame scores (frame 0 scores 0).
    public func cuts(scores: [Double]) -> [Int] {
        var cuts = [Int](), lastCut = 0
        let w = windowWidth
        guard scores.count >= 2 * w + 1 else { return [] }
        for target in w..<(scores.count - w) {
            let neighbours = (target - w...target + w).filter { $0 != target }.map { scores[$0] }
            let average = neighbours.reduce(0, +) / Double(2 * w)
            let score = scores[target]
            var ratio = 0.0
            if abs(average) >= 0.00001 { ratio = min(score / average, 255) } else if score >= minContentValue { ratio = 255 }
            if ratio >= adaptiveThreshold && score >= minContentValue && target - lastCut >= minSceneLength {
                cuts.append(target)
                lastCut = target
            }
        }
        return cuts
    }

    /// Decodes `path` at the processing size and scores every frame against the one before.
    public func scores(path: String) throws -> (scores: [Double], fps: Double) {
        // Size and rate only: the frames are decoded once, below.
        let (_, size, fps) = try VideoReader.probe(path, countFrames: false)
        guard size.width > 0, size.height > 0 else { throw FFmpeg.Failure(message: "no video stream") }
        let stream = try FrameStream(path: path, size: Self.processingSize(size))
        var scores = [Double](), previous: HSVFrame?
        while let rgb = try stream.next() {
            let frame = HSVFrame(rgb: rgb)
            scores.append(previous.map { frame.score(since: $0) } ?? 0)
            previous = frame
        }
        guard !scores.isEmpty else { throw FFmpeg.Failure(message: "no decodable frames") }
        return (scores, fps)
    }

    /// The scenes of `path` as (first frame, end frame exclusive), one scene when there is no cut.
    public func scenes(path: String) throws -> (scenes: [Range<Int>], fps: Double) {
        let (scores, fps) = try scores(path: path)
        let bounds = [0] + cuts(scores: scores) + [scores.count]
        return (zip(bounds, bounds.dropFirst()).map { $0..<$1 }, fps)
    }

    /// 'HH:MM:SS.mmm' of frame `n` at `fps` (PySceneDetect's get_timecode, milliseconds rounded).
    public static func timecode(frame n: Int, fps: Double) -> String {
        let ms = Int((Double(n) / fps * 1000).rounded())
        return String(format: "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
    }

    /// The `timestamp` column's value: a Python literal list of (start, end) timecode tuples.
    public static func timestampLiteral(_ scenes: [Range<Int>], fps: Double) -> String {
        "[" + scenes.map { "('\(timecode(frame: $0.lowerBound, fps: fps))', '\(timecode(frame: $0.upperBound, fps: fps))')" }
            .joined(separator: ", ") + "]"
    }
}
