import Foundation
import MLXTensor
@testable import OpenSora
@testable import OpenSoraTraining
import XCTest

/// `data aesthetic` and `data matching` on files made from the fixture's images (stored losslessly: PNG, FFV1), so
/// a row's score is the reference's (tools/make_clip_fixtures.py); broken rows keep a reason; reruns use the journal.
final class CLIPToolTests: XCTestCase {
    static let frameCount = 10

    func fixture() throws -> (model: CLIPModel, head: AestheticHead, tokenizer: CLIPTokenizer, reference: [String: Tensor]) {
        let folder = CLIPModelTests.folder
        return (try CLIPModel.load(folder: folder.path), try AestheticHead.load(path: folder.appendingPathComponent("aesthetic.pth").path),
                try CLIPTokenizer(folder: folder.path),
                try Safetensors.load(folder.appendingPathComponent("reference.safetensors").path).tensors)
    }

    /// image0 as a PNG and inside a 10-frame video at frames 1, 5, 9 (10/50/90 %), every other frame black.
    func media(_ reference: [String: Tensor], in folder: ClipFolder) throws {
        let image = try XCTUnwrap(reference["image0"])
        let size = VideoSize(height: image.dim(0), width: image.dim(1)), bytes = try image.toBytes()
        try folder.image("still.png", size: size) { y, x, c in bytes[(y * size.width + x) * 3 + c] }
        try folder.video("clip.mkv", frames: Self.frameCount, size: size) { f, y, x, c in
            [1, 5, 9].contains(f) ? bytes[(y * size.width + x) * 3 + c] : 0
        }
        FileManager.default.createFile(atPath: folder.file("empty.mp4"), contents: Data())
        FileManager.default.createFile(atPath: folder.file("text.avi"), contents: Data("not a video".utf8))
        FileManager.default.createFile(atPath: folder.file("notes.txt"), contents: Data("hello".utf8))
    }

    func testAestheticScoresRowsAndKeepsBrokenOnes() throws {
        let (model, head, _, reference) = try fixture()
        let folder = try ClipFolder()
        try media(reference, in: folder)
        let want = try XCTUnwrap(reference["aesthetic"]).toArray()[0]
        let csv = folder.file("meta.csv"), out = folder.file("meta_aes.csv")
        XCTAssertEqual(AestheticTool.defaultOutput(for: csv), out)
        let input = CSVTable(header: ["path"], records: [["still.png"], ["clip.mkv"], ["empty.mp4"], ["text.avi"], ["notes.txt"], ["missing.png"]])
        try input.write(to: csv)
        var tool = AestheticTool(model: model, head: head, workers: 3)
        tool.batchSize = 2  // queued rows' frames split across passes
        let result = try tool.run(input, csvPath: csv, output: out)
        XCTAssertEqual(result.header, ["path", "aes", "error"])
        let rows = result.records
        for row in rows[0...1] {
            let score = try XCTUnwrap(Float(row[1]), "\(row[0]): \(row[2])")
            XCTAssertEqual(score, want, accuracy: 1e-5 + 1e-4 * abs(want), row[0])
            XCTAssertEqual(row[2], "", row[0])
        }
        for row in rows[2...] {
            XCTAssertEqual(row[1], "", row[0])
            XCTAssertFalse(row[2].isEmpty, row[0])
        }
        XCTAssertTrue(rows[4][2].contains("unsupported extension"), rows[4][2])
        XCTAssertEqual(rows[5][2], "no such file")
        XCTAssertEqual(try CSVTable(parsing: String(contentsOfFile: out, encoding: .utf8)).records, rows)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + ".partial.jsonl"))
    }

    /// num_frames from the CSV sets N: with 20, the points land on frames 2, 10, 19, past the decoded 10, so each is
    /// the first (black) frame — not image0's score.
    func testTheCSVFrameCountChoosesTheFrames() throws {
        XCTAssertEqual(CLIPFrames.indices(points: [0.1, 0.5, 0.9], frameCount: 10), [1, 5, 9])
        XCTAssertEqual(CLIPFrames.indices(points: [0.1, 0.5, 0.9], frameCount: 2), [0, 1, 1])
        let (model, head, _, reference) = try fixture()
        let folder = try ClipFolder()
        try media(reference, in: folder)
        let want = try XCTUnwrap(reference["aesthetic"]).toArray()[0]
        let input = CSVTable(header: ["path", "num_frames"], records: [["clip.mkv", "20"], ["clip.mkv", "10"]])
        let result = try AestheticTool(model: model, head: head, workers: 1).run(input, csvPath: folder.file("m.csv"), output: folder.file("o.csv"))
        XCTAssertNotEqual(try XCTUnwrap(Float(result.records[0][2])), want, accuracy: 1e-4)
        XCTAssertEqual(try XCTUnwrap(Float(result.records[1][2])), want, accuracy: 1e-5 + 1e-4 * abs(want))
    }

    func testARerunContinuesFromTheJournal() throws {
        let (model, head, _, reference) = try fixture()
        let folder = try ClipFolder()
        try media(reference, in: folder)
        let out = folder.file("m_aes.csv")
        let journal = #"{"row":0,"path":"still.png","values":["42.0",""]}"# + "\n" + #"{"row":1,"pa"#
        try Data(journal.utf8).write(to: URL(fileURLWithPath: out + ".partial.jsonl"))
        let input = CSVTable(header: ["path"], records: [["still.png"], ["still.png"]])
        let result = try AestheticTool(model: model, head: head, workers: 1).run(input, csvPath: folder.file("m.csv"), output: out)
        XCTAssertEqual(result.records[0], ["still.png", "42.0", ""])
        let want = try XCTUnwrap(reference["aesthetic"]).toArray()[0]
        XCTAssertEqual(try XCTUnwrap(Float(result.records[1][1])), want, accuracy: 1e-5 + 1e-4 * abs(want))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + ".partial.jsonl"))
    }

    /// The image, and the video's middle frame (5 of 10), against prompts 0 and 1: the reference's logits[0, 0] and [0, 1].
    func testMatchingScoresTheTextAgainstTheMiddleFrame() throws {
        let (model, _, tokenizer, reference) = try fixture()
        let folder = try ClipFolder()
        try media(reference, in: folder)
        let prompts = try JSONDecoder().decode([String].self, from: Data(contentsOf: CLIPModelTests.folder.appendingPathComponent("prompts.json")))
        let logits = try XCTUnwrap(reference["logits"]).toArray()  // [3 images, 5 prompts]
        let input = CSVTable(header: ["path", "text"], records: [["still.png", prompts[0]], ["clip.mkv", prompts[1]], ["empty.mp4", "x"]])
        let csv = folder.file("meta.csv"), out = folder.file("meta_match.csv")
        XCTAssertEqual(MatchingTool.defaultOutput(for: csv), out)
        let result = try MatchingTool(model: model, tokenizer: tokenizer, workers: 2).run(input, csvPath: csv, output: out)
        XCTAssertEqual(result.header, ["path", "text", "match", "error"])
        XCTAssertEqual(try XCTUnwrap(Float(result.records[0][2])), logits[0], accuracy: 1e-3)
        XCTAssertEqual(try XCTUnwrap(Float(result.records[1][2])), logits[1], accuracy: 1e-3)
        XCTAssertEqual(result.records[2][2], "")
        XCTAssertFalse(result.records[2][3].isEmpty)
        XCTAssertThrowsError(try MatchingTool(model: model, tokenizer: tokenizer).run(CSVTable(header: ["path"], records: []), csvPath: "x.csv", output: out)) {
            XCTAssertEqual($0 as? DataToolError, .missingColumn(csv: "x.csv", column: "text", found: ["path"]))
        }
    }
}
