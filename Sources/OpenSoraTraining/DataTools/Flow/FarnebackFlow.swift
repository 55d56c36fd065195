// Reference: OpenCV's calcOpticalFlowFarneback (modules/video/src/optflowgf.cpp: FarnebackPrepareGaussian,
// FarnebackPolyExp, FarnebackUpdateMatrices, FarnebackUpdateFlow_Blur and the pyramid loop), the box-filter path
// (flags 0), with the parameters the reference's tools pass: (0.5, 3, 15, 3, 5, 1.2, 0) — spec/tools.md §11.2.
import Foundation

/// Gunnar Farnebäck's two-frame dense optical flow: each neighbourhood fitted by a quadratic polynomial, the
/// displacement solved from how the polynomial moved, coarse to fine over a pyramid.
public struct FarnebackFlow: Sendable {
    public var pyramidScale = 0.5
    public var levels = 3
    public var windowSize = 15
    public var iterations = 3
    public var polyN = 5
    public var polySigma = 1.2

    public init() {}

    /// The flow from `previous` to `next` (same size).
    public func flow(from previous: GrayPlane, to next: GrayPlane) -> FlowField {
        flow(from: expansion(of: previous), to: expansion(of: next))
    }

    /// The flow between two frames' expansions — a frame in several pairs is expanded once.
    public func flow(from previous: PolynomialPyramid, to next: PolynomialPyramid) -> FlowField {
        precondition(previous.sizes.elementsEqual(next.sizes, by: ==), "frames of different sizes")
        var flow: FlowField?
        for k in stride(from: previous.sizes.count - 1, through: 0, by: -1) {
            let (width, height) = previous.sizes[k]
            var current = FlowField(width: width, height: height)
            if let coarser = flow {
                current = coarser.resizedLinear(width: width, height: height)
                let up = Float(1 / pyramidScale)
                for i in current.values.indices { current.values[i] *= up }
            }
            let (r0, r1) = (previous.levels[k], next.levels[k])
            var matrices = updateMatrices(r0, r1, current)
            for i in 0..<iterations {
                current = blurredSolve(matrices, width: width, height: height)
                if i < iterations - 1 { matrices = updateMatrices(r0, r1, current) }
            }
            flow = current
        }
        return flow!
    }

    /// The image's polynomial expansion at every pyramid level OpenCV would use for it (levels stop before a side
    /// falls under 32 pixels); each level blurs the full image by (1/scale − 1)/2 and resizes it.
    public func expansion(of image: GrayPlane) -> PolynomialPyramid {
        var levelCount = 0, scale = 1.0
        while levelCount < levels {
            scale *= pyramidScale
            if Double(image.width) * scale < 32 || Double(image.height) * scale < 32 { break }
            levelCount += 1
        }
        var pyramid = PolynomialPyramid()
        for k in 0...levelCount {
            let scale = pow(pyramidScale, Double(k))
            let sigma = (1 / scale - 1) * 0.5
            let smooth = max(Int((sigma * 5).rounded(.toNearestOrEven)) | 1, 3)
            let width = Int((Double(image.width) * scale).rounded(.toNearestOrEven))
            let height = Int((Double(image.height) * scale).rounded(.toNearestOrEven))
            let blurred = image.gaussianBlurred(size: smooth, sigma: sigma)
            let sized = width == image.width && height == image.height ? blurred : blurred.resizedLinear(width: width, height: height)
            pyramid.sizes.append((width, height))
            pyramid.levels.append(polynomialExpansion(sized))
        }
        return pyramid
    }

    /// FarnebackPrepareGaussian: the 1-D Gaussian g, x·g, x²·g and the four entries of the inverse Gram matrix the
    /// expansion needs.
    func gaussianBasis() -> (g: [Float], xg: [Float], xxg: [Float], ig11: Double, ig03: Double, ig33: Double, ig55: Double) {
        let n = polyN
        let sigma = polySigma < Double(Float.ulpOfOne) ? Double(n) * 0.3 : polySigma
        var g = [Float](repeating: 0, count: 2 * n + 1)
        var s = 0.0
        for x in -n...n { g[x + n] = Float(exp(-Double(x * x) / (2 * sigma * sigma))); s += Double(g[x + n]) }
        s = 1 / s
        var xg = g, xxg = g
        for x in -n...n {
            g[x + n] = Float(Double(g[x + n]) * s)
            xg[x + n] = Float(x) * g[x + n]
            xxg[x + n] = Float(x * x) * g[x + n]
        }
        var G = [[Double]](repeating: [Double](repeating: 0, count: 6), count: 6)
        for y in -n...n {
            for x in -n...n {
                let w = Double(g[y + n]) * Double(g[x + n])
                let (dx, dy) = (Double(x), Double(y))
                G[0][0] += w; G[1][1] += w * dx * dx; G[3][3] += w * dx * dx * dx * dx; G[5][5] += w * dx * dx * dy * dy
            }
        }
        G[2][2] = G[1][1]; G[0][3] = G[1][1]; G[0][4] = G[1][1]; G[3][0] = G[1][1]; G[4][0] = G[1][1]
        G[4][4] = G[3][3]; G[3][4] = G[5][5]; G[4][3] = G[5][5]
        let inverse = Self.inverse(G)
        return (g, xg, xxg, inverse[1][1], inverse[0][3], inverse[3][3], inverse[5][5])
    }

    /// FarnebackPolyExp: five coefficients per pixel (the linear terms, the two squares, the cross term; the constant
    /// is not kept), a separable weighted fit with edges replicated.
    func polynomialExpansion(_ image: GrayPlane) -> [Float] {
        let n = polyN, width = image.width, height = image.height
        let (g, xg, xxg, ig11, ig03, ig33, ig55) = gaussianBasis()
        var out = [Float](repeating: 0, count: 5 * width * height)
        var row = [Float](repeating: 0, count: 3 * (width + 2 * n))
        let src = image.values
        for y in 0..<height {
            // Vertical pass into row[(x + n)·3 …].
            for x in 0..<width {
                row[(x + n) * 3] = src[y * width + x] * g[n]
                row[(x + n) * 3 + 1] = 0
                row[(x + n) * 3 + 2] = 0
            }
            for k in 1...n {
                let (g0, g1, g2) = (g[n + k], xg[n + k], xxg[n + k])
                let r0 = max(y - k, 0) * width, r1 = min(y + k, height - 1) * width
                for x in 0..<width {
                    let p = src[r0 + x] + src[r1 + x]
                    let i = (x + n) * 3
                    row[i] = row[i] + g0 * p
                    row[i + 1] = row[i + 1] + g1 * (src[r1 + x] - src[r0 + x])
                    row[i + 2] = row[i + 2] + g2 * p
                }
            }
            // Replicate the edge pixels for the horizontal pass.
            for x in 0..<n {
                for c in 0..<3 {
                    row[x * 3 + c] = row[n * 3 + c]
                    row[(width + n + x) * 3 + c] = row[(width + n - 1) * 3 + c]
                }
            }
            for x in 0..<width {
                let c = (x + n) * 3
                var b1 = Double(row[c]) * Double(g[n]), b2 = 0.0, b3 = Double(row[c + 1]) * Double(g[n])
                var b4 = 0.0, b5 = Double(row[c + 2]) * Double(g[n]), b6 = 0.0
                for k in 1...n {
                    let p = c + k * 3, m = c - k * 3
                    let tg = Double(row[p] + row[m]), g0 = Double(g[n + k])
                    b1 += tg * g0
                    b4 += tg * Double(xxg[n + k])
                    b2 += Double(row[p] - row[m]) * Double(xg[n + k])
                    b3 += Double(row[p + 1] + row[m + 1]) * g0
                    b6 += Double(row[p + 1] - row[m + 1]) * Double(xg[n + k])
                    b5 += Double(row[p + 2] + row[m + 2]) * g0
                }
                let o = 5 * (y * width + x)
                out[o + 1] = Float(b2 * ig11)
                out[o] = Float(b3 * ig11)
                out[o + 3] = Float(b1 * ig03 + b4 * ig33)
                out[o + 2] = Float(b1 * ig03 + b5 * ig33)
                out[o + 4] = Float(b6 * ig55)
            }
        }
        return out
    }

    /// FarnebackUpdateMatrices: per pixel the normal equations (G11, G12, G22, h1, h2) from the first frame's
    /// expansion and the second's, sampled where the current flow points; the 5-pixel border down-weighted.
    func updateMatrices(_ r0: [Float], _ r1: [Float], _ flow: FlowField) -> [Float] {
        let width = flow.width, height = flow.height, border: [Float] = [0.14, 0.14, 0.4472, 0.4472, 0.4472], b = 5
        var m = [Float](repeating: 0, count: 5 * width * height)
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                let dx = flow.values[2 * i], dy = flow.values[2 * i + 1]
                var fx = Float(x) + dx, fy = Float(y) + dy
                let x1 = Int(fx.rounded(.down)), y1 = Int(fy.rounded(.down))
                fx -= Float(x1); fy -= Float(y1)
                var r2: Float, r3: Float, r4: Float, r5: Float, r6: Float
                let o = 5 * i
                if x1 >= 0 && x1 < width - 1 && y1 >= 0 && y1 < height - 1 {
                    let a00 = (1 - fx) * (1 - fy), a01 = fx * (1 - fy), a10 = (1 - fx) * fy, a11 = fx * fy
                    let p = 5 * (y1 * width + x1), q = p + 5 * width
                    func at(_ c: Int) -> Float { a00 * r1[p + c] + a01 * r1[p + 5 + c] + a10 * r1[q + c] + a11 * r1[q + 5 + c] }
                    (r2, r3) = (at(0), at(1))
                    r4 = (r0[o + 2] + at(2)) * 0.5
                    r5 = (r0[o + 3] + at(3)) * 0.5
                    r6 = (r0[o + 4] + at(4)) * 0.25
                } else {
                    (r2, r3) = (0, 0)
                    (r4, r5, r6) = (r0[o + 2], r0[o + 3], r0[o + 4] * 0.5)
                }
                r2 = (r0[o] - r2) * 0.5
                r3 = (r0[o + 1] - r3) * 0.5
                r2 += r4 * dy + r6 * dx
                r3 += r6 * dy + r5 * dx
                if x < b || x >= width - b || y < b || y >= height - b {
                    var scale: Float = x < b ? border[x] : 1
                    scale *= x >= width - b ? border[width - x - 1] : 1
                    scale *= y < b ? border[y] : 1
                    scale *= y >= height - b ? border[height - y - 1] : 1
                    r2 *= scale; r3 *= scale; r4 *= scale; r5 *= scale; r6 *= scale
                }
                m[o] = r4 * r4 + r6 * r6
                m[o + 1] = (r4 + r5) * r6
                m[o + 2] = r5 * r5 + r6 * r6
                m[o + 3] = r4 * r2 + r6 * r3
                m[o + 4] = r6 * r2 + r5 * r3
            }
        }
        return m
    }

    /// FarnebackUpdateFlow_Blur: the matrices averaged over a window (edges replicated, sums in double), then each
    /// pixel's 2×2 system solved (regularised by 1e-3).
    func blurredSolve(_ m: [Float], width: Int, height: Int) -> FlowField {
        let r = windowSize / 2, scale = 1 / Double(windowSize * windowSize)
        // Vertical running sums per column, then horizontal over them, both with replicated edges.
        var vertical = [Double](repeating: 0, count: 5 * width * height)
        for x in 0..<(5 * width) {
            var s = 0.0
            for k in -r...r { s += Double(m[min(max(k, 0), height - 1) * 5 * width + x]) }
            vertical[x] = s
            for y in 1..<max(height, 1) {
                s += Double(m[min(y + r, height - 1) * 5 * width + x]) - Double(m[max(y - r - 1, 0) * 5 * width + x])
                vertical[y * 5 * width + x] = s
            }
        }
        var flow = FlowField(width: width, height: height)
        for y in 0..<height {
            let base = y * 5 * width
            var sums = [Double](repeating: 0, count: 5)
            for c in 0..<5 { for k in -r...r { sums[c] += vertical[base + 5 * min(max(k, 0), width - 1) + c] } }
            for x in 0..<width {
                if x > 0 {
                    let add = base + 5 * min(x + r, width - 1), drop = base + 5 * max(x - r - 1, 0)
                    for c in 0..<5 { sums[c] += vertical[add + c] - vertical[drop + c] }
                }
                let g11 = sums[0] * scale, g12 = sums[1] * scale, g22 = sums[2] * scale, h1 = sums[3] * scale, h2 = sums[4] * scale
                let idet = 1 / (g11 * g22 - g12 * g12 + 1e-3)
                flow.values[2 * (y * width + x)] = Float((g11 * h2 - g12 * h1) * idet)
                flow.values[2 * (y * width + x) + 1] = Float((g22 * h1 - g12 * h2) * idet)
            }
        }
        return flow
    }

    /// Gauss–Jordan inverse of a small symmetric positive-definite matrix (OpenCV uses Cholesky; same inverse).
    static func inverse(_ a: [[Double]]) -> [[Double]] {
        let n = a.count
        var m = a, inv = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for c in 0..<n {
            let p = (c..<n).max { abs(m[$0][c]) < abs(m[$1][c]) }!
            m.swapAt(c, p); inv.swapAt(c, p)
            let d = m[c][c]
            for j in 0..<n { m[c][j] /= d; inv[c][j] /= d }
            for i in 0..<n where i != c {
                let f = m[i][c]
                guard f != 0 else { continue }
                for j in 0..<n { m[i][j] -= f * m[c][j]; inv[i][j] -= f * inv[c][j] }
            }
        }
        return inv
    }
}

/// One frame's Farneback expansions, finest level first: five coefficients a pixel per level.
public struct PolynomialPyramid: Sendable {
    var sizes: [(width: Int, height: Int)] = []
    var levels: [[Float]] = []
}
