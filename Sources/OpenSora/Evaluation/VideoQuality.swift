// Reference: eval/vae/cal_psnr.py, eval/vae/cal_ssim.py, eval/vae/eval_common_metric.py @v1.2.0;
// spec/evaluation.md §2.3–2.4.
import Foundation
import MLXTensor

/// The VAE reconstruction metrics: PSNR and SSIM per frame pair of two videos in [0, 1].
public enum VideoQuality {
    /// PSNR of one frame pair (data range 1): exactly 100 when mse < 1e-10.
    public static func psnr(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        var sum = 0.0
        for (x, y) in zip(a, b) {
            let d = x - y  // float32 difference, as numpy on float32 arrays
            sum += Double(d * d)
        }
        let mse = sum / Double(a.count)
        return mse < 1e-10 ? 100 : 20 * log10(1 / mse.squareRoot())
    }

    /// OpenCV's getGaussianKernel(11, 1.5): exp(−x²/2σ²) normalised to sum 1.
    static let window: [Double] = {
        let g = (0..<11).map { i -> Double in
            let x = Double(i - 5)
            return Foundation.exp(-x * x / (2 * 1.5 * 1.5))
        }
        let s = g.reduce(0, +)
        return g.map { $0 / s }
    }()

    /// Valid-region 11×11 Gaussian correlation (filter2D then the 5-pixel crop) of an h×w plane.
    static func filtered(_ p: [Double], height h: Int, width w: Int) -> [Double] {
        let oh = h - 10, ow = w - 10
        guard oh > 0, ow > 0 else { return [] }
        var rows = [Double](repeating: 0, count: h * ow)
        for y in 0..<h {
            for x in 0..<ow {
                var s = 0.0
                for k in 0..<11 { s += window[k] * p[y * w + x + k] }
                rows[y * ow + x] = s
            }
        }
        var out = [Double](repeating: 0, count: oh * ow)
        for y in 0..<oh {
            for x in 0..<ow {
                var s = 0.0
                for k in 0..<11 { s += window[k] * rows[(y + k) * ow + x] }
                out[y * ow + x] = s
            }
        }
        return out
    }

    /// SSIM of one channel (float64, C1 = 0.01², C2 = 0.03², mean of the map; NaN for planes
    /// smaller than the window, like the reference's empty crop).
    public static func ssim(_ a: [Double], _ b: [Double], height: Int, width: Int) -> Double {
        let c1 = 0.01 * 0.01, c2 = 0.03 * 0.03
        let muA = filtered(a, height: height, width: width), muB = filtered(b, height: height, width: width)
        guard !muA.isEmpty else { return .nan }
        let aa = filtered(zip(a, a).map(*), height: height, width: width)
        let bb = filtered(zip(b, b).map(*), height: height, width: width)
        let ab = filtered(zip(a, b).map(*), height: height, width: width)
        var total = 0.0
        for i in muA.indices {
            let (ma, mb) = (muA[i], muB[i])
            let va = aa[i] - ma * ma, vb = bb[i] - mb * mb, cov = ab[i] - ma * mb
            total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
        }
        return total / Double(muA.count)
    }

    /// Per-pair, per-timestamp and batch values of both metrics for videos [B, T, C, H, W].
    public struct Report: Equatable {
        public var psnrFrame: [[Double]]
        public var ssimFrame: [[Double]]
        public var ssimChannel: [[[Double]]]

        /// Per timestamp: mean over the batch's videos, and the population standard deviation.
        public var psnrValue: [Double] { columnMeans(psnrFrame) }
        public var psnrStd: [Double] { columnStds(psnrFrame) }
        public var ssimValue: [Double] { columnMeans(ssimFrame) }
        public var ssimStd: [Double] { columnStds(ssimFrame) }
    }

    public static func evaluate(real: Tensor, generated: Tensor) throws -> Report {
        guard real.shape == generated.shape, real.ndim == 5 else {
            throw OpenSoraError.invalidInput("evaluation: videos of shapes \(real.shape) and \(generated.shape); expected equal [B, T, C, H, W]")
        }
        let (b, t, c, h, w) = (real.dim(0), real.dim(1), real.dim(2), real.dim(3), real.dim(4))
        guard c == 1 || c == 3 else { throw OpenSoraError.invalidInput("evaluation: \(c) channels; SSIM accepts 1 or 3") }
        let x = try real.toArray(), y = try generated.toArray()
        let plane = h * w, frame = c * plane
        var report = Report(psnrFrame: [], ssimFrame: [], ssimChannel: [])
        for v in 0..<b {
            var psnrs = [Double](), ssims = [Double](), channels = [[Double]]()
            for f in 0..<t {
                let base = (v * t + f) * frame
                psnrs.append(psnr(x[base..<(base + frame)], y[base..<(base + frame)]))
                let perChannel = (0..<c).map { ch -> Double in
                    let s = base + ch * plane
                    return ssim(x[s..<(s + plane)].map(Double.init), y[s..<(s + plane)].map(Double.init), height: h, width: w)
                }
                channels.append(perChannel)
                ssims.append(perChannel.reduce(0, +) / Double(c))
            }
            report.psnrFrame.append(psnrs)
            report.ssimFrame.append(ssims)
            report.ssimChannel.append(channels)
        }
        return report
    }

    /// The evaluation driver's number: every batch's per-timestamp means in one list, averaged
    /// (so unequal batches weigh per batch, not per video).
    public static func driverMetric(_ perBatchValues: [[Double]]) -> Double {
        let all = perBatchValues.flatMap { $0 }
        return all.reduce(0, +) / Double(all.count)
    }
}

func columnMeans(_ rows: [[Double]]) -> [Double] {
    guard let first = rows.first else { return [] }
    return first.indices.map { j in rows.map { $0[j] }.reduce(0, +) / Double(rows.count) }
}

func columnStds(_ rows: [[Double]]) -> [Double] {
    let means = columnMeans(rows)
    return means.indices.map { j in
        (rows.map { ($0[j] - means[j]) * ($0[j] - means[j]) }.reduce(0, +) / Double(rows.count)).squareRoot()
    }
}
