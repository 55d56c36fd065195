// Reference: PySceneDetect's ContentDetector (the frame score `content_val`): each frame in HSV as OpenCV's 8-bit
// BGR2HSV makes it (H in [0, 180), S and V in [0, 255]); the score is the mean of the three channels' mean absolute
// differences from the previous frame (edges weighted 0 by default).

/// HSV planes of one frame and the score against the frame before.
struct HSVFrame {
    var h: [UInt8], s: [UInt8], v: [UInt8]

    /// OpenCV's 8-bit RGB → HSV: V = max, S = 255·(V − min)/V, H = hue in degrees / 2, each rounded.
    init(rgb: [UInt8]) {
        let n = rgb.count / 3
        (h, s, v) = ([UInt8](repeating: 0, count: n), [UInt8](repeating: 0, count: n), [UInt8](repeating: 0, count: n))
        for i in 0..<n {
            let r = Int(rgb[3 * i]), g = Int(rgb[3 * i + 1]), b = Int(rgb[3 * i + 2])
            let mx = max(r, g, b), mn = min(r, g, b), d = mx - mn
            v[i] = UInt8(mx)
            s[i] = mx == 0 ? 0 : UInt8((Double(255 * d) / Double(mx)).rounded())
            guard d > 0 else { continue }
            var hue: Double
            if mx == r { hue = 60 * Double(g - b) / Double(d) } else if mx == g { hue = 120 + 60 * Double(b - r) / Double(d) } else {
                hue = 240 + 60 * Double(r - g) / Double(d)
            }
            if hue < 0 { hue += 360 }
            let half = Int((hue / 2).rounded())
            h[i] = UInt8(half >= 180 ? half - 180 : half)
        }
    }

    /// content_val: the mean over H, S, V of the mean absolute pixel difference.
    func score(since previous: HSVFrame) -> Double {
        func distance(_ a: [UInt8], _ b: [UInt8]) -> Double {
            var sum = 0
            for i in a.indices { sum += abs(Int(a[i]) - Int(b[i])) }
            return Double(sum) / Double(a.count)
        }
        return (distance(h, previous.h) + distance(s, previous.s) + distance(v, previous.v)) / 3
    }
}
