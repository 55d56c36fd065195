import Foundation
@testable import OpenSora
import XCTest

final class T5TokenizerTests: XCTestCase {
    let modelPath = fixturesDirectory.appendingPathComponent("parity/tokenizer.t5__spiece.model").path
    lazy var tokenizer = try! T5Tokenizer(contentsOf: modelPath)

    func testModelSettingsAreReadFromTheFile() {
        let m = tokenizer.model
        XCTAssertEqual(m.pieces.count, 1000)
        XCTAssertEqual(m.unknownID, 2)
        XCTAssertEqual(m.pieces[1].text, "</s>")
        XCTAssertEqual(m.pieces[1].type, .control)
        XCTAssertEqual(m.normalizerName, "nmt_nfkc")
        XCTAssertTrue(m.addDummyPrefix && m.removeExtraWhitespaces && m.escapeWhitespaces)
        XCTAssertEqual(tokenizer.count, 1100)
        XCTAssertEqual(tokenizer.extraID(0), 1099)
        XCTAssertEqual(tokenizer.extraID(99), 1000)
    }

    func testDecodeRoundTripsNormalisedText() throws {
        for text in ["a cat playing piano", "A beautiful waterfall, cinematic lighting.", "multiple     spaces"] {
            let ids = try tokenizer.encode([text], maxLength: 64).inputIDs[0]
            let expected = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            XCTAssertEqual(tokenizer.decode(ids), expected)
        }
        // Unknown characters become one <unk>, a special token like the sentinels.
        let ids = tokenizer.tokenize("a 東京")
        XCTAssertEqual(ids.last, 2)
        XCTAssertEqual(ids.filter { $0 == 2 }.count, 1)
        XCTAssertEqual(tokenizer.decode(ids).trimmingCharacters(in: .whitespaces), "a")
        XCTAssertTrue(tokenizer.decode(ids, skipSpecialTokens: false).hasSuffix("<unk>"))
        XCTAssertEqual(tokenizer.decode([tokenizer.extraID(3), 1], skipSpecialTokens: false), "<extra_id_3></s>")
    }

    func testTruncationPaddingAndMask() throws {
        let e = try tokenizer.encode(["one two three four five six seven", ""], maxLength: 5)
        XCTAssertEqual(e.inputIDs[0].count, 5)
        XCTAssertEqual(e.inputIDs[0].last, 1)
        XCTAssertEqual(e.attentionMask[0], [1, 1, 1, 1, 1])
        XCTAssertEqual(e.inputIDs[1], [1, 0, 0, 0, 0])
        XCTAssertEqual(e.attentionMask[1], [1, 0, 0, 0, 0])
        XCTAssertThrowsError(try tokenizer.encode(["x"], maxLength: 0))
    }

    func testGarbageAndTruncatedModelFilesAreClearErrors() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let garbage = dir.appendingPathComponent("garbage.model")
        try Data("definitely not a protobuf \u{1}\u{2}\u{3}".utf8).write(to: garbage)
        XCTAssertThrowsError(try T5Tokenizer(contentsOf: garbage.path)) { XCTAssertTrue("\($0)".contains("garbage.model"), "\($0)") }
        let data = try Data(contentsOf: URL(fileURLWithPath: modelPath))
        let truncated = dir.appendingPathComponent("truncated.model")
        try data.prefix(data.count / 2).write(to: truncated)
        XCTAssertThrowsError(try T5Tokenizer(contentsOf: truncated.path)) { XCTAssertTrue("\($0)".contains("not a valid sentencepiece model"), "\($0)") }
        XCTAssertThrowsError(try T5Tokenizer(contentsOf: dir.appendingPathComponent("missing.model").path))
    }
}
