// Reference: tools/caption/camera_motion/camera_motion.py@v1.2.0 (VBench's rule: a 10×10 grid tracked from the first
// frame to the last, the mean displacement of four edge groups against min(H, W)·0.25, the top/bottom and left/right
// pair tables); spec/tools.md §11.1. The reference tracks with CoTracker2; ours chains Farneback flow through the
// clip (points moved by the flow sampled where they are), so its labels are the ones `--merge-cmotion` accepts.
import Foundation

/// The camera motion of a clip in the underscore vocabulary (pan_left+tilt_up, zoom_in, static, Undetermined, …).
public struct CameraMotionTracks: Sendable {
    public static let labels = ["pan_right", "pan_left", "tilt_up", "tilt_down", "zoom_in", "zoom_out", "static", "Undetermined"]
    public static let gridSize = 10
    /// Frames between the ones the tracks are chained through.
    public static let frameInterval = 3
    public var threshold = 0.25
    public var flow = FarnebackFlow()

    public init() {}

    /// The grid CoTracker seeds: 10 × 10 points spaced evenly with a margin of 1/64 of its 512-wide working frame.
    static func grid(width: Int, height: Int) -> [(x: Double, y: Double)] {
        let my = 8 * Double(height) / 384, mx = 8 * Double(width) / 512, n = gridSize
        func line(_ lo: Double, _ hi: Double, _ i: Int) -> Double { lo + (hi - lo) * Double(i) / Double(n - 1) }
        return (0..<(n * n)).map { k in (line(mx, Double(width) - mx, k % n), line(my, Double(height) - my, k / n)) }
    }

    /// The grid's points after following the flow from each frame to the next.
    public func track(frames: [GrayPlane]) -> (start: [(x: Double, y: Double)], end: [(x: Double, y: Double)]) {
        let start = Self.grid(width: frames[0].width, height: frames[0].height)
        var points = start
        var previous = flow.expansion(of: frames[0])
        for frame in frames.dropFirst() {
            let next = flow.expansion(of: frame), field = flow.flow(from: previous, to: next)
            points = points.map { p in
                let (dx, dy) = field.sample(x: p.x, y: p.y)
                return (p.x + dx, p.y + dy)
            }
            previous = next
        }
        return (start, points)
    }

    /// VBench's classification of the edge groups' mean displacement (positions truncated to whole pixels, as the
    /// reference's `.long()` does).
    public func label(start: [(x: Double, y: Double)], end: [(x: Double, y: Double)], width: Int, height: Int) -> String {
        let n = Self.gridSize, middle = n / 2, scale = Double(min(width, height)) * threshold
        func direction(_ indices: [Int]) -> [String] {
            let d = indices.map { (end[$0].x.rounded(.towardZero) - start[$0].x.rounded(.towardZero),
                                   end[$0].y.rounded(.towardZero) - start[$0].y.rounded(.towardZero)) }
            let x = d.map(\.0).reduce(0, +) / Double(d.count), y = d.map(\.1).reduce(0, +) / Double(d.count)
            var out = [String]()
            if x > scale { out.append("right") } else if x < -scale { out.append("left") }
            if y > scale { out.append("down") } else if y < -scale { out.append("up") }
            return out.isEmpty ? ["static"] : out
        }
        let span = (middle - 2)..<(middle + 2)
        let top = direction(span.map { $0 }), bottom = direction(span.map { (n - 1) * n + $0 })
        let left = direction(span.map { $0 * n }), right = direction(span.map { $0 * n + n - 1 })
        let shared = ["left_left": "pan_right", "right_right": "pan_left", "down_down": "tilt_up", "up_up": "tilt_down", "static_static": "static"]
        func classify(_ a: [String], _ b: [String], _ table: [String: String]) -> [String] {
            let found = a.flatMap { p in b.compactMap { table["\(p)_\($0)"] } }
            return found.isEmpty ? ["None"] : found
        }
        var results = Set(classify(top, bottom, shared.merging(["up_down": "zoom_in", "down_up": "zoom_out"]) { a, _ in a })
            + classify(left, right, shared.merging(["left_right": "zoom_in", "right_left": "zoom_out"]) { a, _ in a }))
        if results.count > 1 { results.remove("None") }
        if results.count > 1 { results.remove("static") }
        if results == ["None"] { return "Undetermined" }
        // The reference joins a Python set (its order varies by process); ours is the label table's order.
        return Self.labels.filter(results.contains).joined(separator: "+")
    }

    public func label(frames: [GrayPlane]) -> String {
        let (start, end) = track(frames: frames)
        return label(start: start, end: end, width: frames[0].width, height: frames[0].height)
    }

    /// Tracks at a working size (short side at most 256: the rule is relative to the frame, the flow cheaper).
    public func label(path: String) throws -> String {
        try label(frames: GrayFrames.read(path: path, keep: { $0 % Self.frameInterval == 0 }, shortSide: 256))
    }
}

extension FlowField {
    /// The flow at a point, bilinear between pixel centres, clamped to the frame.
    func sample(x: Double, y: Double) -> (Double, Double) {
        let cx = min(max(x, 0), Double(width - 1)), cy = min(max(y, 0), Double(height - 1))
        let x0 = Int(cx), y0 = Int(cy), x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        let fx = cx - Double(x0), fy = cy - Double(y0)
        func at(_ x: Int, _ y: Int, _ c: Int) -> Double { Double(values[2 * (y * width + x) + c]) }
        func mix(_ c: Int) -> Double {
            (at(x0, y0, c) * (1 - fx) + at(x1, y0, c) * fx) * (1 - fy) + (at(x0, y1, c) * (1 - fx) + at(x1, y1, c) * fx) * fy
        }
        return (mix(0), mix(1))
    }
}
