@testable import OpenSoraTraining
import XCTest

final class CSVTableTests: XCTestCase {
    func testQuotedFieldsHoldCommasQuotesAndNewlines() throws {
        let text = "path,text,n\r\na.mp4,\"a cat, sitting\",1\r\n\r\n\"b.mp4\",\"she said \"\"hi\"\"\nthen left\",2\nc.mp4,plain"
        let t = try CSVTable(parsing: text)
        XCTAssertEqual(t.header, ["path", "text", "n"])
        XCTAssertEqual(t.records, [["a.mp4", "a cat, sitting", "1"], ["b.mp4", "she said \"hi\"\nthen left", "2"], ["c.mp4", "plain", ""]])
        XCTAssertEqual(t.lines, [2, 4, 6])
    }

    func testByteOrderMarkAndEmptyQuotedField() throws {
        let t = try CSVTable(parsing: "\u{FEFF}a,b\n\"\",x\n")
        XCTAssertEqual(t.header, ["a", "b"])
        XCTAssertEqual(t.records, [["", "x"]])
    }

    func testMalformedFilesNameTheLine() {
        XCTAssertThrowsError(try CSVTable(parsing: "a,b\n1,2\n3,4,5\n", source: "t.csv")) {
            XCTAssertEqual($0 as? CSVError, .tooManyFields(source: "t.csv", line: 3, found: 3, expected: 2))
        }
        XCTAssertThrowsError(try CSVTable(parsing: "a,b\n1,\"open\n2,3\n", source: "t.csv")) {
            XCTAssertEqual($0 as? CSVError, .unterminatedQuote(source: "t.csv", line: 2))
        }
        XCTAssertThrowsError(try CSVTable(parsing: "", source: "t.csv")) { XCTAssertEqual($0 as? CSVError, .noHeader(source: "t.csv")) }
    }
}
