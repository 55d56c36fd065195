// The axis arithmetic of `opensora train plot`: "nice" linear ticks (1, 2, 5 × 10^k) and decade ticks for log scale.
import Foundation

/// One axis of a plot: the data range mapped onto pixels, and its ticks.
struct PlotAxis {
    let low: Double
    let high: Double
    let logScale: Bool
    let ticks: [Double]

    /// Spans `values` (positive ones when `logScale`) with about `tickCount` ticks.
    init(values: [Double], logScale: Bool, tickCount: Int = 5) {
        self.logScale = logScale
        let finite = values.filter { $0.isFinite && (!logScale || $0 > 0) }
        var lo = finite.min() ?? (logScale ? 1 : 0), hi = finite.max() ?? (logScale ? 10 : 1)
        if logScale {
            lo = pow(10, floor(log10(lo)))
            hi = pow(10, ceil(log10(hi)))
            if hi <= lo { hi = lo * 10 }
            let decades = Int((log10(hi) - log10(lo)).rounded())
            let stride = max(1, decades / max(1, tickCount))
            ticks = Swift.stride(from: 0, through: decades, by: stride).map { lo * pow(10, Double($0)) }
        } else {
            if hi <= lo { (lo, hi) = (lo - 0.5, hi + 0.5) }
            let step = Self.niceStep((hi - lo) / Double(max(1, tickCount)))
            lo = floor(lo / step) * step
            hi = ceil(hi / step) * step
            let n = Int(((hi - lo) / step).rounded())
            ticks = (0...n).map { lo + Double($0) * step }
        }
        low = lo
        high = hi
    }

    /// The smallest of 1, 2, 5 × 10^k at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        let magnitude = pow(10, floor(log10(raw)))
        return [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-12) } ?? 10 * magnitude
    }

    /// Where `value` falls in [0, 1] along the axis; nil when it cannot be drawn (non-finite, ≤ 0 on a log axis).
    func fraction(_ value: Double) -> Double? {
        guard value.isFinite, !logScale || value > 0 else { return nil }
        return logScale ? (log10(value) - log10(low)) / (log10(high) - log10(low)) : (value - low) / (high - low)
    }

    /// A tick label: integers plainly, small or large values in exponent form.
    static func label(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e6 { return String(Int(v)) }
        if abs(v) >= 1e-3, abs(v) < 1e4 { return String(format: "%g", v) }
        return String(format: "%.0e", v)
    }
}
