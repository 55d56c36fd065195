@testable import OpenSoraTraining
import XCTest

final class ConfigLiteralTests: XCTestCase {
    func testObjectsKeepKeyOrderAndNumbersTheirText() throws {
        let v = try ConfigLiteral(parsing: #"{"b": 1, "a": [2.50, -3e2, 18446744073709551615], "c": null}"#)
        XCTAssertEqual(v.objectValue?.map(\.key), ["b", "a", "c"])
        XCTAssertEqual(v["a"]?.listValue?.map(\.literalText), ["2.50", "-3e2", "18446744073709551615"])
        XCTAssertEqual(v["a"]?.listValue?[2].uint64Value, .max)
        XCTAssertNil(v["a"]?.listValue?[2].intValue)
        XCTAssertNil(v["a"]?.listValue?[0].intValue)
        XCTAssertEqual(v["b"]?.intValue, 1)
        XCTAssertEqual(v["c"], .null)
    }

    func testPythonLiterals() throws {
        let v = try ConfigLiteral(parsing: "{1: (None, True, 'x\\'y'), 2: [False,],}  # done")
        XCTAssertEqual(v, .object([("1", .list([.null, .bool(true), .string("x'y")])), ("2", .list([.bool(false)]))]))
    }

    func testErrorsGiveTheOffset() {
        XCTAssertThrowsError(try ConfigLiteral(parsing: "{\"a\": 1 \"b\": 2}")) { error in
            XCTAssertEqual((error as? ConfigLiteralError)?.offset, 8, "\(error)")
        }
        XCTAssertThrowsError(try ConfigLiteral(parsing: "[1, 2")) { XCTAssertTrue("\($0)".contains("end") || "\($0)".contains("','"), "\($0)") }
        XCTAssertThrowsError(try ConfigLiteral(parsing: "\"abc")) { XCTAssertTrue("\($0)".contains("unterminated")) }
        XCTAssertThrowsError(try ConfigLiteral(parsing: "1 2")) { XCTAssertTrue("\($0)".contains("after the value")) }
        XCTAssertThrowsError(try ConfigLiteral(parsing: "nope")) { XCTAssertTrue("\($0)".contains("'nope'")) }
    }
}
