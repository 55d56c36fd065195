// Reference: OpenCV's cvtColor(RGB2GRAY) for 8-bit (fixed point, 14 bits: 4899 R + 9617 G + 1868 B, rounded),
// resize(INTER_LINEAR) (half-pixel centres, edges clamped) and GaussianBlur (separable, BORDER_REFLECT_101, the fixed
// 3-tap [¼ ½ ¼] kernel when sigma is 0); torch's interpolate(bilinear, align_corners=True).
import Foundation

/// One float channel, row-major: what dense optical flow runs on.
public struct GrayPlane: Sendable, Equatable {
    public var width: Int, height: Int
    public var values: [Float]

    public init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height, "a \(width)×\(height) plane needs \(width * height) values")
        (self.width, self.height, self.values) = (width, height, values)
    }

    /// OpenCV's 8-bit RGB → gray, exactly: (4899 R + 9617 G + 1868 B + 2¹³) >> 14.
    public init(rgb: [UInt8], width: Int, height: Int) {
        var out = [Float](repeating: 0, count: width * height)
        for i in 0..<(width * height) {
            let r = Int(rgb[3 * i]), g = Int(rgb[3 * i + 1]), b = Int(rgb[3 * i + 2])
            out[i] = Float((r * 4899 + g * 9617 + b * 1868 + 8192) >> 14)
        }
        self.init(width: width, height: height, values: out)
    }

    /// The plane with rows and columns swapped (the reference turns portrait clips landscape this way).
    public func transposed() -> GrayPlane {
        var out = [Float](repeating: 0, count: values.count)
        for y in 0..<height { for x in 0..<width { out[x * height + y] = values[y * width + x] } }
        return GrayPlane(width: height, height: width, values: out)
    }

    /// OpenCV INTER_LINEAR: source coordinate (d + ½)·src/dst − ½, clamped at the edges.
    public func resizedLinear(width w: Int, height h: Int) -> GrayPlane {
        let xs = Self.linearTaps(dst: w, src: width), ys = Self.linearTaps(dst: h, src: height)
        return resampled(width: w, height: h, xs: xs, ys: ys)
    }

    /// torch's bilinear interpolate with align_corners=True: corners map to corners.
    public func resizedAlignCorners(width w: Int, height h: Int) -> GrayPlane {
        func taps(_ dst: Int, _ src: Int) -> [(Int, Float)] {
            let scale = dst > 1 ? Float(src - 1) / Float(dst - 1) : 0
            return (0..<dst).map { d in
                let f = Float(d) * scale, i = min(Int(f), src - 1)
                return (i, f - Float(i))
            }
        }
        return resampled(width: w, height: h, xs: taps(w, width), ys: taps(h, height))
    }

    /// Separable interpolation: each tap is (left/top index, weight of the next sample).
    private func resampled(width w: Int, height h: Int, xs: [(Int, Float)], ys: [(Int, Float)]) -> GrayPlane {
        var out = [Float](repeating: 0, count: w * h)
        values.withUnsafeBufferPointer { src in
            for y in 0..<h {
                let (sy, fy) = ys[y], sy1 = min(sy + 1, height - 1)
                for x in 0..<w {
                    let (sx, fx) = xs[x], sx1 = min(sx + 1, width - 1)
                    let top = src[sy * width + sx] * (1 - fx) + src[sy * width + sx1] * fx
                    let bottom = src[sy1 * width + sx] * (1 - fx) + src[sy1 * width + sx1] * fx
                    out[y * w + x] = top * (1 - fy) + bottom * fy
                }
            }
        }
        return GrayPlane(width: w, height: h, values: out)
    }

    static func linearTaps(dst: Int, src: Int) -> [(Int, Float)] {
        let scale = Double(src) / Double(dst)
        return (0..<dst).map { d in
            var f = Float((Double(d) + 0.5) * scale - 0.5)
            var s = Int(f.rounded(.down))
            f -= Float(s)
            if s < 0 { (s, f) = (0, 0) }
            if s >= src - 1 { (s, f) = (src - 1, 0) }
            return (s, f)
        }
    }

    /// OpenCV GaussianBlur with an odd square kernel; `sigma` 0 takes its fixed small kernels.
    public func gaussianBlurred(size: Int, sigma: Double) -> GrayPlane {
        let kernel = Self.gaussianKernel(size: size, sigma: sigma), r = size / 2
        func reflect(_ i: Int, _ n: Int) -> Int {
            guard n > 1 else { return 0 }
            var i = i
            while i < 0 || i >= n { i = i < 0 ? -i : 2 * n - 2 - i }
            return i
        }
        // Reflected source indices per output position, so the inner loops only multiply and add.
        let xs = (0..<width).flatMap { x in (0..<size).map { reflect(x + $0 - r, width) } }
        let ys = (0..<height).flatMap { y in (0..<size).map { reflect(y + $0 - r, height) * width } }
        var rows = [Float](repeating: 0, count: values.count), out = rows
        values.withUnsafeBufferPointer { src in
            rows.withUnsafeMutableBufferPointer { rows in
                for y in 0..<height {
                    let base = y * width
                    for x in 0..<width {
                        var s: Float = 0
                        for k in 0..<size { s += src[base + xs[x * size + k]] * kernel[k] }
                        rows[base + x] = s
                    }
                }
            }
        }
        rows.withUnsafeBufferPointer { rows in
            out.withUnsafeMutableBufferPointer { out in
                for y in 0..<height {
                    for x in 0..<width {
                        var s: Float = 0
                        for k in 0..<size { s += rows[ys[y * size + k] + x] * kernel[k] }
                        out[y * width + x] = s
                    }
                }
            }
        }
        return GrayPlane(width: width, height: height, values: out)
    }

    /// getGaussianKernel: OpenCV's fixed tables for sigma ≤ 0 and sizes up to 7, else exp(−d²/2σ²) normalised.
    static func gaussianKernel(size: Int, sigma: Double) -> [Float] {
        let fixed: [Int: [Float]] = [1: [1], 3: [0.25, 0.5, 0.25], 5: [0.0625, 0.25, 0.375, 0.25, 0.0625],
                                     7: [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125]]
        if sigma <= 0, let k = fixed[size] { return k }
        let s = sigma > 0 ? sigma : ((Double(size) - 1) * 0.5 - 1) * 0.3 + 0.8
        let c = Double(size - 1) / 2
        let raw = (0..<size).map { exp(-(Double($0) - c) * (Double($0) - c) / (2 * s * s)) }
        let total = raw.reduce(0, +)
        return raw.map { Float($0 / total) }
    }
}
