// Reference: tools/caption/camera_motion_detect.py@v1.2.0 (after antiboredom/camera-motion-detector): every 15th
// frame in gray, Farneback flow (0.5, 3, 15, 3, 5, 1.2, 0) from the FIRST frame (never updated) to each; per frame
// the median magnitude, the median angle and the share of pixels moving away from the centre; spec/tools.md §11.2.
import Foundation

/// The camera motion of a clip, in the reference's Farneback vocabulary.
public struct CameraMotion: Sendable {
    public static let frameInterval = 15
    /// Every label the detector gives.
    public static let labels = ["static", "zoom in", "zoom out", "pan left", "pan right", "tilt up", "tilt down", "pan/tilt", "dynamic", "unknown"]
    public var flow = FarnebackFlow()

    public init() {}

    /// What one sampled frame shows against the first: static below 1 pixel, then zoom by the outward share, then
    /// the direction of the median angle (the flow's, so content moving right is the camera panning left).
    public static func frameType(magnitude: Double, angle: Double, outward: Double) -> String {
        if magnitude < 1 { return "static" }
        if outward < 0.4 { return "zoom out" }
        if outward > 0.6 { return "zoom in" }
        if angle < 45 || angle >= 315 { return "pan left" }
        if angle < 135 { return "tilt up" }
        if angle < 225 { return "pan right" }
        return "tilt down"
    }

    /// The clip's label: a type held by more than half the frames; else `unknown` if any was static, `pan/tilt` if
    /// none zoomed, `dynamic` otherwise. Ties go to the type that first reached the top count, as in the reference.
    public static func videoType(_ types: [String]) -> String {
        var counts: [String: Int] = [:], best: String?, bestCount = 0
        for t in types {
            counts[t, default: 0] += 1
            if counts[t]! > bestCount { (best, bestCount) = (t, counts[t]!) }
        }
        if let best, Double(bestCount) > Double(types.count) / 2 { return best }
        if counts["static"] != nil { return "unknown" }
        if counts["zoom in"] == nil && counts["zoom out"] == nil { return "pan/tilt" }
        return "dynamic"
    }

    /// The type of `frame` against the first frame's expansion.
    public func frameType(first: PolynomialPyramid, frame: GrayPlane) -> String {
        let field = flow.flow(from: first, to: flow.expansion(of: frame))
        let (magnitude, angle) = field.polar()
        let cx = Double(field.width) / 2, cy = Double(field.height) / 2
        var outward = 0
        for y in 0..<field.height {
            for x in 0..<field.width {
                let i = y * field.width + x
                let before = (Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy)
                let mx = Double(x) + Double(field.values[2 * i]) - cx, my = Double(y) + Double(field.values[2 * i + 1]) - cy
                if (mx * mx + my * my).squareRoot() >= before.squareRoot() { outward += 1 }
            }
        }
        return Self.frameType(magnitude: median(magnitude), angle: median(angle), outward: Double(outward) / Double(field.width * field.height))
    }

    /// The label of a clip from its frames 0, 15, 30, …; a single frame gives no types, so `pan/tilt`, as in the reference.
    public func label(frames: [GrayPlane]) -> String {
        let first = flow.expansion(of: frames[0])
        return Self.videoType(frames.dropFirst().map { frameType(first: first, frame: $0) })
    }

    public func label(path: String) throws -> String {
        try label(frames: GrayFrames.read(path: path, keep: { $0 % Self.frameInterval == 0 }))
    }
}
