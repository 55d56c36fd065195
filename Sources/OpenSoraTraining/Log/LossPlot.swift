// `opensora train plot`'s core: the loss (and eval-loss) curves of a JSONL log as a self-contained SVG, drawn
// here rather than by a plotting library (none is mirrored; TensorBoard played this part for the reference).
import Foundation
import MLXTensor

/// Loss curves over steps, rendered as SVG.
public struct LossPlot: Sendable {
    public struct Series: Equatable, Sendable {
        public var name: String
        public var points: [Point]
        public init(name: String, points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    public struct Point: Equatable, Sendable {
        public var step: Double
        public var value: Double
    }

    public var series: [Series]
    public var logScale: Bool
    public var title: String
    public var width = 800.0
    public var height = 480.0

    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    static let margin = (left: 80.0, right: 24.0, top: 40.0, bottom: 56.0)

    /// `loss` from every entry, then one `eval <name>` series per eval loss (names sorted).
    public init(entries: [TrainingLogEntry], logScale: Bool = false, title: String = "training loss") {
        var all = [Series(name: "loss", points: entries.map { Point(step: Double($0.step), value: $0.loss) })]
        let names = Set(entries.flatMap { $0.evalLosses?.keys.map { $0 } ?? [] }).sorted()
        for name in names {
            all.append(Series(name: "eval \(name)", points: entries.compactMap { e in
                e.evalLosses?[name].map { Point(step: Double(e.step), value: $0) }
            }))
        }
        self.init(series: all, logScale: logScale, title: title)
    }

    public init(series: [Series], logScale: Bool = false, title: String = "training loss") {
        self.series = series
        self.logScale = logScale
        self.title = title
    }

    /// The points that can be drawn: finite, and positive on a log axis (NaN losses leave gaps in nothing but the count).
    public func drawable(_ s: Series) -> [Point] {
        s.points.filter { $0.step.isFinite && $0.value.isFinite && (!logScale || $0.value > 0) }
    }

    public func svg() -> String {
        let m = Self.margin
        let plotW = width - m.left - m.right, plotH = height - m.top - m.bottom
        let x = PlotAxis(values: series.flatMap { drawable($0).map(\.step) }, logScale: false)
        let y = PlotAxis(values: series.flatMap { drawable($0).map(\.value) }, logScale: logScale)
        func px(_ v: Double) -> Double { m.left + (x.fraction(v) ?? 0) * plotW }
        func py(_ v: Double) -> Double { m.top + plotH - (y.fraction(v) ?? 0) * plotH }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        var out = [#"<?xml version="1.0" encoding="UTF-8"?>"#,
                   #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(f(width))" height="\#(f(height))" viewBox="0 0 \#(f(width)) \#(f(height))" font-family="sans-serif" font-size="12">"#,
                   #"<rect width="100%" height="100%" fill="white"/>"#,
                   #"<text x="\#(f(width / 2))" y="24" text-anchor="middle" font-size="15">\#(Self.escape(title))</text>"#]
        out.append(#"<g class="axes" stroke="rgb(51,51,51)" fill="none"><rect x="\#(f(m.left))" y="\#(f(m.top))" width="\#(f(plotW))" height="\#(f(plotH))"/></g>"#)
        out.append(#"<g class="x-ticks">"#)
        for t in x.ticks {
            out.append(#"<line x1="\#(f(px(t)))" y1="\#(f(m.top + plotH))" x2="\#(f(px(t)))" y2="\#(f(m.top + plotH + 5))" stroke="rgb(51,51,51)"/>"#
                + #"<text x="\#(f(px(t)))" y="\#(f(m.top + plotH + 18))" text-anchor="middle">\#(PlotAxis.label(t))</text>"#)
        }
        out.append("</g>")
        out.append(#"<g class="y-ticks">"#)
        for t in y.ticks {
            out.append(#"<line x1="\#(f(m.left - 5))" y1="\#(f(py(t)))" x2="\#(f(m.left + plotW))" y2="\#(f(py(t)))" stroke="rgb(221,221,221)"/>"#
                + #"<text x="\#(f(m.left - 8))" y="\#(f(py(t) + 4))" text-anchor="end">\#(PlotAxis.label(t))</text>"#)
        }
        out.append("</g>")
        out.append(#"<text class="x-label" x="\#(f(m.left + plotW / 2))" y="\#(f(height - 14))" text-anchor="middle">step</text>"#)
        out.append(#"<text class="y-label" transform="translate(18 \#(f(m.top + plotH / 2))) rotate(-90)" text-anchor="middle">\#(logScale ? "loss (log scale)" : "loss")</text>"#)
        for (i, s) in series.enumerated() {
            let color = Self.colors[i % Self.colors.count]
            let points = drawable(s).map { "\(f(px($0.step))),\(f(py($0.value)))" }.joined(separator: " ")
            out.append(#"<polyline class="series" data-name="\#(Self.escape(s.name))" fill="none" stroke="\#(color)" stroke-width="1.5" points="\#(points)"/>"#)
        }
        out.append(#"<g class="legend">"#)
        for (i, s) in series.enumerated() {
            let ly = m.top + 14 + Double(i) * 18, lx = m.left + plotW - 150
            out.append(#"<line x1="\#(f(lx))" y1="\#(f(ly))" x2="\#(f(lx + 20))" y2="\#(f(ly))" stroke="\#(Self.colors[i % Self.colors.count])" stroke-width="3"/>"#
                + #"<text x="\#(f(lx + 26))" y="\#(f(ly + 4))">\#(Self.escape(s.name))</text>"#)
        }
        out.append("</g>")
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// Writes the SVG atomically (a temporary file renamed over `path`).
    public func write(to path: String) throws {
        try AtomicFile.write(Data(svg().utf8), to: path)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
