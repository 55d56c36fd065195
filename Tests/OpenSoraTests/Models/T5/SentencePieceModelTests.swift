@testable import OpenSora
import XCTest

/// Hand-built sentencepiece protos whose varints exceed Int: typed errors, never a conversion trap.
final class SentencePieceModelTests: XCTestCase {
    static func varint(_ v: UInt64) -> [UInt8] {
        var v = v, out = [UInt8]()
        repeat {
            out.append(UInt8(v & 0x7F) | (v >= 0x80 ? 0x80 : 0))
            v >>= 7
        } while v > 0
        return out
    }

    static func field(_ number: Int, _ payload: [UInt8]) -> [UInt8] { varint(UInt64(number << 3 | 2)) + varint(UInt64(payload.count)) + payload }
    static func varintField(_ number: Int, _ v: UInt64) -> [UInt8] { varint(UInt64(number << 3)) + varint(v) }
    static func piece(_ text: String, type: UInt64 = 1) -> [UInt8] {
        field(1, field(1, Array(text.utf8)) + [0x15, 0, 0, 0x80, 0xBF] + varintField(3, type))  // score -1.0
    }

    func testSmallModelParses() throws {
        let model = try SentencePieceModel(bytes: Self.piece("<unk>", type: 2) + Self.piece("▁a") + Self.field(2, Self.varintField(3, 1)))
        XCTAssertEqual(model.pieces.map(\.text), ["<unk>", "▁a"])
        XCTAssertEqual(model.pieces.map(\.type), [.unknown, .normal])
        XCTAssertEqual(model.pieces[1].score, -1)
    }

    func testPieceTypeAboveIntMax() {
        XCTAssertThrowsError(try SentencePieceModel(bytes: Self.piece("x", type: 1 << 63))) {
            XCTAssertTrue("\($0)".contains("9223372036854775808"), "\($0)")
        }
    }

    func testModelTypeAboveIntMax() {
        XCTAssertThrowsError(try SentencePieceModel(bytes: Self.piece("x") + Self.field(2, Self.varintField(3, UInt64.max)))) {
            XCTAssertTrue("\($0)".contains("model_type"), "\($0)")
        }
    }

    func testLengthAboveIntMax() {
        XCTAssertThrowsError(try SentencePieceModel(bytes: [0x0A] + Self.varint(UInt64.max))) {
            XCTAssertTrue("\($0)".contains("overruns"), "\($0)")
        }
    }
}
