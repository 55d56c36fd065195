import Foundation

/// A dense displacement per pixel: where each pixel of the first frame moved to in the second, in pixels.
public struct FlowField: Sendable, Equatable {
    public var width: Int, height: Int
    /// Interleaved (dx, dy) per pixel, row-major — OpenCV's CV_32FC2 layout.
    public var values: [Float]

    public init(width: Int, height: Int, values: [Float]? = nil) {
        (self.width, self.height) = (width, height)
        self.values = values ?? [Float](repeating: 0, count: 2 * width * height)
        precondition(self.values.count == 2 * width * height, "a \(width)×\(height) flow needs \(2 * width * height) values")
    }

    /// The mean of |dx| and |dy| over every pixel — the reference's motion statistic (`flow_maps.abs().mean()`).
    public var meanAbsolute: Double {
        values.reduce(0.0) { $0 + Double(abs($1)) } / Double(max(values.count, 1))
    }

    /// Magnitude and angle (degrees in [0, 360), y down as in image coordinates) of every pixel — cv2.cartToPolar.
    public func polar() -> (magnitude: [Float], angle: [Float]) {
        var magnitude = [Float](repeating: 0, count: width * height), angle = magnitude
        for i in 0..<(width * height) {
            let dx = values[2 * i], dy = values[2 * i + 1]
            magnitude[i] = (dx * dx + dy * dy).squareRoot()
            var a = atan2(dy, dx) * 180 / .pi
            if a < 0 { a += 360 }
            angle[i] = a >= 360 ? 0 : a
        }
        return (magnitude, angle)
    }

    /// OpenCV INTER_LINEAR resize of both components (values unscaled).
    func resizedLinear(width w: Int, height h: Int) -> FlowField {
        let xs = GrayPlane.linearTaps(dst: w, src: width), ys = GrayPlane.linearTaps(dst: h, src: height)
        var out = [Float](repeating: 0, count: 2 * w * h)
        for y in 0..<h {
            let (sy, fy) = ys[y], sy1 = min(sy + 1, height - 1)
            for x in 0..<w {
                let (sx, fx) = xs[x], sx1 = min(sx + 1, width - 1)
                for c in 0..<2 {
                    let top = values[2 * (sy * width + sx) + c] * (1 - fx) + values[2 * (sy * width + sx1) + c] * fx
                    let bottom = values[2 * (sy1 * width + sx) + c] * (1 - fx) + values[2 * (sy1 * width + sx1) + c] * fx
                    out[2 * (y * w + x) + c] = top * (1 - fy) + bottom * fy
                }
            }
        }
        return FlowField(width: w, height: h, values: out)
    }
}

/// numpy's median: the middle value, or the mean of the two middle values of an even count.
func median(_ values: [Float]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted(), n = sorted.count
    return n % 2 == 1 ? Double(sorted[n / 2]) : (Double(sorted[n / 2 - 1]) + Double(sorted[n / 2])) / 2
}
