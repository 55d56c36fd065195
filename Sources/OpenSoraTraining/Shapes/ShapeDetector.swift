// Added (not in the reference): the analytic detector `opensora eval shapes` scores generated videos with (issue 15):
// foreground colour, shape from the fill ratio of its bounding box, direction from the centroid track.
import OpenSora

/// What the detector sees in a clip; a nil attribute could not be decided.
public struct ShapeDetection: Equatable, Codable, Sendable {
    public var color: ShapeColor?
    public var shape: ShapeKind?
    public var direction: MotionDirection?
    /// Median over frames of foreground pixels / bounding-box pixels.
    public var fillRatio: Double
    /// The least-squares centroid displacement from the first to the last frame, pixels (y down).
    public var displacement: [Double]
    /// Frames in which a foreground object was found.
    public var framesWithShape: Int

    /// Which of the caption's attributes the detection agrees with.
    public func agreement(with caption: ShapeCaption) -> (color: Bool, shape: Bool, direction: Bool) {
        (color == caption.color, shape == caption.shape, direction == caption.direction)
    }
}

public enum ShapeDetector {
    /// A pixel is foreground when its brightest channel is at least this (half coverage of a full-intensity colour).
    static let foregroundLevel: UInt8 = 128
    /// Fewer foreground pixels than this is an empty frame.
    static let minimumArea = 12

    public static func detect(_ video: VideoFrames) -> ShapeDetection {
        let (h, w) = (video.size.height, video.size.width)
        var fills = [Double](), centroids = [(t: Double, x: Double, y: Double)](), colour = (0.0, 0.0, 0.0)
        for f in 0..<video.count {
            var area = 0, sx = 0, sy = 0, minX = w, maxX = -1, minY = h, maxY = -1
            var sum = (0.0, 0.0, 0.0)
            for y in 0..<h {
                for x in 0..<w {
                    let at = ((f * h + y) * w + x) * 3
                    let (r, g, b) = (video.rgb[at], video.rgb[at + 1], video.rgb[at + 2])
                    guard max(r, g, b) >= foregroundLevel else { continue }
                    area += 1
                    sx += x
                    sy += y
                    minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
                    sum = (sum.0 + Double(r), sum.1 + Double(g), sum.2 + Double(b))
                }
            }
            guard area >= minimumArea else { continue }
            fills.append(Double(area) / Double((maxX - minX + 1) * (maxY - minY + 1)))
            centroids.append((Double(f), Double(sx) / Double(area), Double(sy) / Double(area)))
            colour = (colour.0 + sum.0 / Double(area), colour.1 + sum.1 / Double(area), colour.2 + sum.2 / Double(area))
        }
        guard !fills.isEmpty else {
            return ShapeDetection(color: nil, shape: nil, direction: nil, fillRatio: 0, displacement: [0, 0], framesWithShape: 0)
        }
        let fill = fills.sorted()[fills.count / 2]
        let displacement = Self.displacement(centroids, frames: video.count)
        return ShapeDetection(color: nearestColor(colour), shape: shape(fill: fill),
                              direction: direction(displacement, size: video.size), fillRatio: fill,
                              displacement: [displacement.x, displacement.y], framesWithShape: fills.count)
    }

    /// The colour whose unit-max RGB is nearest to the mean foreground colour scaled to a maximum of 1.
    static func nearestColor(_ c: (Double, Double, Double)) -> ShapeColor? {
        let top = max(c.0, c.1, c.2)
        guard top > 0 else { return nil }
        let v = (c.0 / top, c.1 / top, c.2 / top)
        return ShapeColor.allCases.min { a, b in
            func d(_ k: ShapeColor) -> Double {
                let (r, g, b) = k.rgb
                return (r - v.0) * (r - v.0) + (g - v.1) * (g - v.1) + (b - v.2) * (b - v.2)
            }
            return d(a) < d(b)
        }
    }

    /// Nearest of the three shapes' fill ratios (triangle 1/2, circle π/4, square 1), by midpoints.
    static func shape(fill: Double) -> ShapeKind {
        let sorted = ShapeKind.allCases.sorted { $0.fillRatio < $1.fillRatio }
        for (a, b) in zip(sorted, sorted.dropFirst()) where fill < (a.fillRatio + b.fillRatio) / 2 { return a }
        return sorted.last!
    }

    /// Slope of a least-squares line through the centroids, times the clip's span.
    static func displacement(_ track: [(t: Double, x: Double, y: Double)], frames: Int) -> (x: Double, y: Double) {
        guard track.count >= 2 else { return (0, 0) }
        let n = Double(track.count), mt = track.map(\.t).reduce(0, +) / n
        let mx = track.map(\.x).reduce(0, +) / n, my = track.map(\.y).reduce(0, +) / n
        let stt = track.map { ($0.t - mt) * ($0.t - mt) }.reduce(0, +)
        let sx = track.map { ($0.t - mt) * ($0.x - mx) }.reduce(0, +), sy = track.map { ($0.t - mt) * ($0.y - my) }.reduce(0, +)
        let span = Double(frames - 1)
        return (sx / stt * span, sy / stt * span)
    }

    /// The dominant axis's sign, when the motion covers at least a sixth of the frame (half the grammar's least
    /// travel) and that axis carries at least twice the other's displacement; nil for a still or diagonal track.
    static func direction(_ d: (x: Double, y: Double), size: VideoSize) -> MotionDirection? {
        let ax = abs(d.x), ay = abs(d.y)
        if ax >= 2 * ay, ax >= Double(size.width) / 6 { return d.x > 0 ? .right : .left }
        if ay >= 2 * ax, ay >= Double(size.height) / 6 { return d.y > 0 ? .down : .up }
        return nil
    }
}
