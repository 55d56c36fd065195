import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import OpenSoraTraining
import XCTest

final class LossPlotTests: XCTestCase {
    /// Collects what the tests check: each polyline's name and point count, and every text.
    final class SVGReader: NSObject, XMLParserDelegate {
        var polylines = [(name: String, points: Int)]()
        var texts = [String]()
        var root: String?
        private var text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if root == nil { root = name }
            if name == "polyline" {
                let pairs = (attributes["points"] ?? "").split(separator: " ").filter { $0.split(separator: ",").count == 2 }
                polylines.append((attributes["data-name"] ?? "", pairs.count))
            }
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { texts.append(text) }
        }
    }

    func read(_ svg: String, file: StaticString = #filePath, line: UInt = #line) throws -> SVGReader {
        let parser = XMLParser(data: Data(svg.utf8))
        let reader = SVGReader()
        parser.delegate = reader
        XCTAssertTrue(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))", file: file, line: line)
        return reader
    }

    func entries() -> [TrainingLogEntry] {
        (1...50).map { s in
            TrainingLogEntry(step: s, epoch: 0, loss: s == 7 ? .nan : 2 / Double(s), lr: 1e-4, samplesPerSecond: 1, elapsedSeconds: Double(s),
                             evalLosses: s % 10 == 0 ? ["240p <a&b>": 1 / Double(s)] : nil)
        }
    }

    func testCurvesHaveOnePointPerDrawableStep() throws {
        let reader = try read(LossPlot(entries: entries()).svg())
        XCTAssertEqual(reader.root, "svg")
        XCTAssertEqual(reader.polylines.map(\.name), ["loss", "eval 240p <a&b>"])
        XCTAssertEqual(reader.polylines.map(\.points), [49, 5], "the NaN step is not drawn; eval every 10 steps")
        XCTAssertTrue(reader.texts.contains("step"))
        XCTAssertTrue(reader.texts.contains("loss"))
        XCTAssertTrue(reader.texts.contains("eval 240p <a&b>"), "legend text is escaped and reads back")
        XCTAssertTrue(reader.texts.contains("50"), "x ticks reach the last step: \(reader.texts)")
    }

    func testLogScaleUsesDecadeTicksAndDropsNonPositiveValues() throws {
        let series = LossPlot.Series(name: "loss", points: [.init(step: 1, value: 3), .init(step: 2, value: 0.02), .init(step: 3, value: 0),
                                                              .init(step: 4, value: -1), .init(step: 5, value: 0.5)])
        let reader = try read(LossPlot(series: [series], logScale: true).svg())
        XCTAssertEqual(reader.polylines.map(\.points), [3])
        XCTAssertTrue(reader.texts.contains("loss (log scale)"))
        for tick in ["0.01", "0.1", "1", "10"] { XCTAssertTrue(reader.texts.contains(tick), "tick \(tick) in \(reader.texts)") }
    }

    func testLinearTicksAreNiceNumbers() {
        let axis = PlotAxis(values: [0.13, 0.92], logScale: false)
        XCTAssertEqual(axis.ticks.count, 6)
        XCTAssertEqual(axis.low, 0, accuracy: 1e-12)
        XCTAssertEqual(axis.high, 1, accuracy: 1e-12)
        XCTAssertEqual(axis.ticks[1], 0.2, accuracy: 1e-12)
        XCTAssertEqual(PlotAxis.niceStep(0.37), 0.5)
        XCTAssertEqual(PlotAxis.niceStep(140), 200)
    }

    func testWritesAtomically() throws {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = (folder as NSString).appendingPathComponent("loss.svg")
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let plot = LossPlot(entries: entries())
        try plot.write(to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), plot.svg())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["loss.svg"], "no temporary file left")
    }
}
