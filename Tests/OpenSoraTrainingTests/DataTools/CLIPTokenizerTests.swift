import Foundation
import MLXTensor
@testable import OpenSoraTraining
import XCTest

/// The BPE ids against transformers' CLIPTokenizer (with ftfy) on the fixture's vocabulary
/// (tools/make_clip_fixtures.py): punctuation, accents, a dash, digits, whitespace runs, a prompt past 77 tokens.
final class CLIPTokenizerTests: XCTestCase {
    func testIdsMatchTransformersCLIPTokenizerUpToTheEndToken() throws {
        let folder = CLIPModelTests.folder
        let tokenizer = try CLIPTokenizer(folder: folder.path)
        let prompts = try JSONDecoder().decode([String].self, from: Data(contentsOf: folder.appendingPathComponent("prompts.json")))
        let reference = try Safetensors.load(folder.appendingPathComponent("reference.safetensors").path).tensors
        let ids = try XCTUnwrap(reference["input_ids"]).toInt32Array()
        XCTAssertEqual(ids.count, prompts.count * 77)
        for (i, prompt) in prompts.enumerated() {
            let want = Array(ids[(i * 77)..<((i + 1) * 77)])
            let got = tokenizer.encode(prompt)
            XCTAssertEqual(got.count, 77)
            // transformers pads with the end token, OpenAI's clip.tokenize (ours) with 0: compare through the first end token.
            let end = try XCTUnwrap(want.firstIndex(of: tokenizer.endID))
            XCTAssertEqual(Array(got[...end]), Array(want[...end]), "prompt \(i): \(prompt)")
            XCTAssertTrue(got[(end + 1)...].allSatisfy { $0 == 0 }, "prompt \(i) padding")
        }
        XCTAssertEqual(tokenizer.encode(prompts[4]).last, tokenizer.endID, "a >77-token prompt keeps its end token")
    }

    func testMissingVocabularyNamesTheFile() {
        XCTAssertThrowsError(try CLIPTokenizer(folder: "/nonexistent/clip")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/clip/vocab.json"), "\(error)")
        }
    }
}
