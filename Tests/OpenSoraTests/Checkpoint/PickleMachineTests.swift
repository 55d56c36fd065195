@testable import OpenSora
import XCTest

/// Length prefixes near 2^63 and other file-derived counts: errors, never overflow traps.
final class PickleMachineTests: XCTestCase {
    let machine = PickleMachine(persistentLoad: { $0 }, reduce: { _, _ in nil })

    func assertFails(_ bytes: [UInt8], mentions word: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try machine.run(bytes), file: file, line: line) {
            XCTAssertTrue("\($0)".contains(word), "\($0)", file: file, line: line)
        }
    }

    func testSmallProgramRuns() throws {
        // PROTO 2, MARK, SHORT_BINUNICODE "ab", BININT1 7, TUPLE, STOP
        let value = try machine.run([0x80, 2, 0x28, 0x8C, 2, 0x61, 0x62, 0x4B, 7, 0x74, 0x2E])
        XCTAssertEqual(value.asTuple?.count, 2)
        XCTAssertEqual(value.asTuple?.first?.asString, "ab")
        XCTAssertEqual(value.asTuple?.last?.asInt, 7)
    }

    func testBinUnicode8LengthNearIntMax() {
        assertFails([0x8D] + TorchFileBuilder.le(UInt64(Int.max - 4), 8) + [0x61], mentions: "truncated")
    }

    func testBinUnicode8LengthAboveIntMax() {
        assertFails([0x8D] + TorchFileBuilder.le(UInt64.max, 8), mentions: "truncated")
    }

    func testFrameLengthAndLong1AreBounded() {
        assertFails([0x8A, 200, 1, 2], mentions: "truncated")
        assertFails([0x95] + TorchFileBuilder.le(UInt64.max, 8) + [0x2E], mentions: "underflow")
    }

    func testLineWithoutNewlineAtTheEnd() {
        assertFails([0x63, 0x61], mentions: "unterminated")
    }
}
