@testable import NN
import XCTest

/// A checkpoint of the wrong model used to print every name on one line (40 KB for STDiT3 XL/2).
final class LoadReportTests: XCTestCase {
    func testDescriptionListsTheFirstEightOfEachKindAndTheCounts() {
        var report = LoadReport()
        report.missing = (0..<100).map { "blocks.\($0).weight" }
        report.unexpected = ["a", "b"]
        report.wrongShape = (0..<9).map { .init(path: "w\($0)", expected: [2], found: [3]) }
        let text = report.description
        XCTAssertTrue(text.contains("100 missing (blocks.0.weight, "), text)
        XCTAssertTrue(text.contains("blocks.7.weight, and 92 more)"), text)
        XCTAssertFalse(text.contains("blocks.8.weight"), text)
        XCTAssertTrue(text.contains("2 unexpected (a, b)"), text)
        XCTAssertTrue(text.contains("9 of the wrong shape (w0 expected [2] found [3], "), text)
        XCTAssertTrue(text.contains("and 1 more)"), text)
        XCTAssertLessThan(text.count, 700)
        XCTAssertEqual(report.missing.count, 100, "the report itself keeps every name")
    }

    func testCleanReportIsOneShortLine() {
        var report = LoadReport()
        report.loaded = 3
        XCTAssertEqual(report.description, "loaded 3 tensors")
    }
}
