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
        assertFails([0x8A, 200, 1, 2], mentions: "exceeds 64 bits")
        assertFails([0x8A, 8, 1, 2], mentions: "truncated")
        assertFails([0x95] + TorchFileBuilder.le(UInt64.max, 8) + [0x2E], mentions: "underflow")
    }

    func testLineWithoutNewlineAtTheEnd() {
        assertFails([0x63, 0x61], mentions: "unterminated")
    }
}

/// Nesting is file-derived too: a million TUPLE1 opcodes must not overflow the stack when the
/// nested value is built or released.
final class PickleNestingTests: XCTestCase {
    func testDeepNestingIsRefused() {
        let machine = PickleMachine(persistentLoad: { $0 }, reduce: { _, _ in nil })
        let bytes: [UInt8] = [0x4E] + [UInt8](repeating: 0x85, count: 1_000_000) + [0x2E]
        XCTAssertThrowsError(try machine.run(bytes)) { XCTAssertTrue("\($0)".contains("nested deeper than 1000"), "\($0)") }
    }
}

extension PickleNestingTests {
    /// Lists nest without a depth limit (APPEND mutates them after creation) and release iteratively.
    func testDeeplyNestedListsReleaseWithoutRecursion() throws {
        let machine = PickleMachine(persistentLoad: { $0 }, reduce: { _, _ in nil })
        // EMPTY_LIST, then 200k times: EMPTY_LIST, APPEND it... as a chain: ] ( ] ] ... a a a
        let n = 200_000
        let bytes: [UInt8] = [UInt8](repeating: 0x5D, count: n + 1) + [UInt8](repeating: 0x61, count: n) + [0x2E]
        let value = try machine.run(bytes)
        guard case .list(let outer) = value else { return XCTFail("\(value)") }
        XCTAssertEqual(outer.items.count, 1)
    }
}

/// Inputs the fuzzer found (scripts/fuzz.sh pickle), kept as regressions.
final class PickleFuzzFindingTests: XCTestCase {
    let machine = PickleMachine(persistentLoad: { $0 }, reduce: { _, _ in nil })

    /// BINFLOAT with the sign bit set went through Int and trapped converting to UInt64.
    func testBinFloatWithTheSignBitSet() throws {
        let value = try machine.run([0x47, 0xC0, 0x09, 0x21, 0xF9, 0xF0, 0x1B, 0x86, 0x6E, 0x2E])
        guard case .float(let v) = value else { return XCTFail("\(value)") }
        XCTAssertEqual(v, -3.14159, accuracy: 1e-12)
        XCTAssertThrowsError(try machine.run([0x47, 0xD5, 0x37, 0x37, 0x51, 0x16, 0x58, 0x39, 0x32, 0x32]))  // the finding itself
    }
}
