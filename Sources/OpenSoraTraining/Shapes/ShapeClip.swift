// Added (not in the reference): one synthetic clip of the default model's data (issue 15): a filled shape on black,
// moving in a straight line at constant speed, fully inside the frame.
import OpenSora

/// Frame size, length and rate of the synthetic clips (the default model's training format).
public struct ShapeClipFormat: Equatable, Codable, Sendable {
    public var size: VideoSize
    public var frameCount: Int
    public var fps: Int

    public init(size: VideoSize = VideoSize(height: 64, width: 64), frameCount: Int = 17, fps: Int = 8) {
        self.size = size
        self.frameCount = frameCount
        self.fps = fps
    }

    /// The grammar's bounds: frames at least 64×64 and at least 17 of them, a positive rate.
    public func validate() throws {
        guard size.height >= 64, size.width >= 64, frameCount >= 17, fps >= 1 else {
            throw OpenSoraError.invalidInput("shape clips: \(size) × \(frameCount) frames at \(fps) fps; accepted: at least 64×64, "
                + "at least 17 frames, fps ≥ 1")
        }
    }
}

/// The geometry of one clip: the shape's side (its bounding-box extent), the box's top-left corner at the first
/// frame and the distance it travels by the last.
public struct ShapeClip: Equatable, Sendable {
    public var caption: ShapeCaption
    public var format: ShapeClipFormat
    public var side: Double
    public var start: (x: Double, y: Double)
    public var travel: Double

    public static func == (a: ShapeClip, b: ShapeClip) -> Bool {
        a.caption == b.caption && a.format == b.format && a.side == b.side && a.start == b.start && a.travel == b.travel
    }

    /// A random clip of `caption`: side in [W/4, W/3], travel in [D/3, D − side] along the motion axis of extent D,
    /// start anywhere that keeps the whole path inside the frame.
    public static func random(_ caption: ShapeCaption, format: ShapeClipFormat, rng: inout NumPyRandom) -> ShapeClip {
        let w = Double(format.size.width), h = Double(format.size.height)
        let side = w / 4 + rng.random() * (w / 3 - w / 4)
        let horizontal = caption.direction.unit.y == 0
        let axis = horizontal ? w : h, across = horizontal ? h : w
        let travel = axis / 3 + rng.random() * (axis - side - axis / 3)
        let lead = rng.random() * (axis - side - travel)
        let offset = rng.random() * (across - side)
        // Moving towards smaller coordinates starts at the far end of the path.
        let forward = horizontal ? caption.direction.unit.x > 0 : caption.direction.unit.y > 0
        let along = forward ? lead : axis - side - lead
        let start = horizontal ? (x: along, y: offset) : (x: offset, y: along)
        return ShapeClip(caption: caption, format: format, side: side, start: start, travel: travel)
    }

    /// The box's top-left corner at `frame`: constant speed from `start` to `start + travel · direction`.
    public func corner(frame: Int) -> (x: Double, y: Double) {
        let f = format.frameCount > 1 ? Double(frame) / Double(format.frameCount - 1) : 0
        let u = caption.direction.unit
        return (start.x + u.x * travel * f, start.y + u.y * travel * f)
    }

    /// Whether the point (px, py) lies inside the shape whose box has its corner at (x, y).
    func contains(_ px: Double, _ py: Double, corner x: Double, _ y: Double) -> Bool {
        let s = side
        switch caption.shape {
        case .square:
            return px >= x && px < x + s && py >= y && py < y + s
        case .circle:
            let dx = px - (x + s / 2), dy = py - (y + s / 2)
            return dx * dx + dy * dy < s * s / 4
        case .triangle:
            // Apex at the top centre, base along the bottom edge.
            return py >= y && py < y + s && abs(px - (x + s / 2)) * 2 < py - y
        }
    }

    /// The rendered frames: each pixel's colour scaled by the shape's coverage of it (4 × 4 samples per pixel).
    public func frames() -> VideoFrames {
        let (h, w) = (format.size.height, format.size.width), n = 4
        var rgb = [UInt8](repeating: 0, count: format.frameCount * h * w * 3)
        let (r, g, b) = caption.color.rgb
        for f in 0..<format.frameCount {
            let (x0, y0) = corner(frame: f)
            // Only pixels near the box can be covered.
            let rows = max(0, Int(y0) - 1)..<min(h, Int(y0 + side) + 2), columns = max(0, Int(x0) - 1)..<min(w, Int(x0 + side) + 2)
            for y in rows {
                for x in columns {
                    var hits = 0
                    for sy in 0..<n {
                        for sx in 0..<n where contains(Double(x) + (Double(sx) + 0.5) / Double(n), Double(y) + (Double(sy) + 0.5) / Double(n),
                                                       corner: x0, y0) { hits += 1 }
                    }
                    guard hits > 0 else { continue }
                    let cover = Double(hits) / Double(n * n), at = ((f * h + y) * w + x) * 3
                    rgb[at] = UInt8((r * cover * 255).rounded())
                    rgb[at + 1] = UInt8((g * cover * 255).rounded())
                    rgb[at + 2] = UInt8((b * cover * 255).rounded())
                }
            }
        }
        return VideoFrames(count: format.frameCount, size: format.size, rgb: rgb)
    }
}
