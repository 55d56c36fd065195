import Foundation
@testable import OpenSora
import XCTest

/// The VBench sample plan: VBench's file names, one seed per video, resumption, the prompts no file can name.
final class VBenchSampleSetTests: XCTestCase {
    func testNamesArePromptDashIndexVerbatimInPromptMajorOrder() throws {
        let prompts = ["a cat", "Van Gogh's selfie, \"Starry\" style: 100% *real*?"]
        let set = try VBenchSampleSet(prompts: prompts, saveDirectory: "/out", samplesPerPrompt: 3)
        XCTAssertEqual(set.entries.map(\.path), [
            "/out/a cat-0.mp4", "/out/a cat-1.mp4", "/out/a cat-2.mp4",
            "/out/Van Gogh's selfie, \"Starry\" style: 100% *real*?-0.mp4",
            "/out/Van Gogh's selfie, \"Starry\" style: 100% *real*?-1.mp4",
            "/out/Van Gogh's selfie, \"Starry\" style: 100% *real*?-2.mp4",
        ])
        XCTAssertEqual(set.entries.map(\.line), [0, 0, 0, 1, 1, 1])
        XCTAssertEqual(set.entries.map(\.sample), [0, 1, 2, 0, 1, 2])
        XCTAssertEqual(set.entries[0].basePath, "/out/a cat-0")
        // One sample still gets "-0": VBench looks up $prompt-$index.mp4.
        XCTAssertEqual(try VBenchSampleSet(prompts: ["a"], saveDirectory: "d", samplesPerPrompt: 1).entries.map(\.path), ["d/a-0.mp4"])
    }

    func testAnI2VLineIsNamedByItsCaptionAndKeepsItsJSONForTheEngine() throws {
        let line = #"a close up of a liquid{"reference_path": "/crop/1-1/a.jpg", "mask_strategy": "0"}"#
        let entry = try XCTUnwrap(VBenchSampleSet(prompts: [line], saveDirectory: "v", samplesPerPrompt: 1).entries.first)
        XCTAssertEqual(entry.caption, "a close up of a liquid")
        XCTAssertEqual(entry.path, "v/a close up of a liquid-0.mp4")
        XCTAssertEqual(entry.prompt, line)
    }

    func testSeedsDependOnlyOnBaseLineAndSample() throws {
        let prompts = (0..<4).map { "prompt \($0)" }
        let whole = try VBenchSampleSet(prompts: prompts, saveDirectory: "d", samplesPerPrompt: 5, seed: 42)
        let seeds = whole.entries.map(\.seed)
        XCTAssertEqual(Set(seeds).count, seeds.count, "every video has its own noise")
        // A split run (the reference's --start-index/--end-index) plans the same videos with the same seeds.
        let tail = try VBenchSampleSet(prompts: prompts, saveDirectory: "d", samplesPerPrompt: 5, seed: 42, startIndex: 2)
        XCTAssertEqual(tail.entries, Array(whole.entries.suffix(10)))
        let head = try VBenchSampleSet(prompts: prompts, saveDirectory: "d", samplesPerPrompt: 5, seed: 42, endIndex: 2)
        XCTAssertEqual(head.entries, Array(whole.entries.prefix(10)))
        let other = try VBenchSampleSet(prompts: prompts, saveDirectory: "d", samplesPerPrompt: 5, seed: 43)
        XCTAssertTrue(Set(other.entries.map(\.seed)).isDisjoint(with: seeds))
        XCTAssertEqual(VBenchSampleSet.seed(base: 42, line: 3, sample: 1), whole.entries[16].seed)
    }

    func testRepeatedPromptsArePlannedOnce() throws {
        // VBench's all_dimension.txt repeats prompts shared by two dimensions.
        let set = try VBenchSampleSet(prompts: ["a", "b", "a"], saveDirectory: "d", samplesPerPrompt: 2)
        XCTAssertEqual(set.entries.map(\.path), ["d/a-0.mp4", "d/a-1.mp4", "d/b-0.mp4", "d/b-1.mp4"])
        XCTAssertEqual(set.duplicateLines, [2])
    }

    func testPromptsNoFileCanNameAreRejectedWithTheirLine() {
        func message(_ prompts: [String], start: Int = 0, end: Int? = nil, samples: Int = 5) -> String {
            do {
                _ = try VBenchSampleSet(prompts: prompts, saveDirectory: "d", samplesPerPrompt: samples, startIndex: start, endIndex: end)
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertTrue(message(["ok", "a red/blue ball"]).contains("line 2 'a red/blue ball' contains '/'"), message(["ok", "a red/blue ball"]))
        XCTAssertTrue(message(["ok", ""]).contains("line 2 '' is empty"))
        let long = String(repeating: "x", count: 250)
        XCTAssertTrue(message([long]).contains("file name"), message([long]))
        // 210 characters, VBench's longest prompt, fits with the sidecar.
        XCTAssertNoThrow(try VBenchSampleSet(prompts: [String(repeating: "y", count: 210)], saveDirectory: "d"))
        XCTAssertTrue(message(["a"], start: 1).contains("selects none of the 1 prompts"))
        XCTAssertTrue(message(["a"], samples: 0).contains("num_samples 0"))
    }

    func testMissingListsOnlyVideosNotYetWritten() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let set = try VBenchSampleSet(prompts: ["a", "b"], saveDirectory: dir.path, samplesPerPrompt: 2)
        XCTAssertEqual(set.missing(), set.entries)
        _ = FileManager.default.createFile(atPath: set.entries[1].path, contents: Data([1]))
        // An interrupted write leaves only a hidden temporary name, which is no video.
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(".b-0.mp4.1234.tmp").path, contents: Data([1]))
        try FileManager.default.createDirectory(atPath: set.entries[3].path, withIntermediateDirectories: true)
        XCTAssertEqual(set.missing().map(\.path), [set.entries[0], set.entries[2], set.entries[3]].map(\.path))
    }
}
