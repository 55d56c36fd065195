import Foundation
import MLXTensor
@testable import OpenSora
import XCTest

/// `opensora eval …` as a user runs it, on the tiny presets.
extension CommandLineTests {
    func testEvalVAEScoresEveryClipAndWritesTheReportAndSideBySideVideos() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let checkpoint = dir.appendingPathComponent("vae")
        try FileManager.default.createDirectory(at: checkpoint, withIntermediateDirectories: true)
        try Tensor.save(safetensors: checkpoint.appendingPathComponent("model.safetensors").path,
                        try VideoVAE(.tiny, key: RandomKey(seed: 11)).stateDict())
        var csv = "path,text,num_frames,height,width\n"
        for (name, frames) in [("a", 12), ("b", 9)] {
            var rgb = [UInt8]()
            for f in 0..<frames { for y in 0..<32 { for x in 0..<48 { rgb += [UInt8((x * 5 + f) % 256), UInt8(y * 7 % 256), 90] } } }
            try VideoWriter.write(VideoFrames(count: frames, size: VideoSize(height: 32, width: 48), rgb: rgb),
                                  to: dir.appendingPathComponent(name).path, format: .mp4, fps: 24)
            csv += "\(name).mp4,clip \(name),\(frames),32,48\n"
        }
        let data = dir.appendingPathComponent("data.csv"), out = dir.appendingPathComponent("metrics.json")
        try csv.write(to: data, atomically: true, encoding: .utf8)
        let recon = dir.appendingPathComponent("recon")
        let r = try run(["eval", "vae", "--data", data.path, "--ckpt-path", checkpoint.path, "--vae-config", "tiny", "--num-frames", "9",
                         "--image-size", "32", "32", "--out", out.path, "--save-dir", recon.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("[1/2] row 0"), r.stdout)
        XCTAssertTrue(r.stdout.contains("overall: PSNR"), r.stdout)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
        XCTAssertEqual((json["clips"] as? [Any])?.count, 2)
        XCTAssertTrue((json["psnr"] as? Double)?.isFinite ?? false)
        let probe = try VideoReader.probe(recon.appendingPathComponent("000.mp4").path)
        XCTAssertEqual(probe.size, VideoSize(height: 32, width: 64), "original | reconstruction")
        XCTAssertEqual(probe.frames, 9)

        let bad = try run(["eval", "vae", "--data", "/nonexistent/clips.csv", "--ckpt-path", checkpoint.path, "--vae-config", "tiny"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("/nonexistent/clips.csv"), bad.stderr)
        let size = try run(["eval", "vae", "--data", data.path, "--ckpt-path", checkpoint.path, "--image-size", "30", "32"])
        XCTAssertNotEqual(size.status, 0)
        XCTAssertTrue(size.stderr.contains("multiple of 8"), size.stderr)
    }

    func testEvalVBenchSamplesNamesVideosAsVBenchAndResumes() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let prompts = ["Van Gogh's \"selfie\", 100%: *wow*?", "a cat & a dog [ok]"]
        let file = dir.appendingPathComponent("prompts.txt"), out = dir.appendingPathComponent("vbench")
        try (prompts.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let command = ["eval", "vbench-samples", "--prompts", file.path, "--save-dir", out.path, "--num-samples", "2",
                       "--resolution", "144p", "--num-frames", "17", "--num-sampling-steps", "1"]
        let first = try run(command)
        XCTAssertEqual(first.status, 0, first.stderr)
        let names = prompts.flatMap { p in (0..<2).map { "\(p)-\($0).mp4" } }
        func videos() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".mp4") }.sorted() }
        XCTAssertEqual(try videos(), names.sorted())
        XCTAssertTrue(first.stderr.contains("4 videos planned, 0 already there, 4 to generate"), first.stderr)
        XCTAssertTrue(first.stderr.contains("[4/4]"), first.stderr)
        XCTAssertEqual(try VideoReader.probe(out.appendingPathComponent(names[0]).path).frames, 17)

        func stamps() throws -> [String: Date] {
            var s = [String: Date]()
            for name in try videos() {
                s[name] = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(name).path)[.modificationDate] as? Date
            }
            return s
        }
        let before = try stamps()
        let second = try run(command)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stderr.contains("4 already there, 0 to generate"), second.stderr)
        XCTAssertEqual(try stamps(), before)

        try FileManager.default.removeItem(at: out.appendingPathComponent(names[3]))
        let third = try run(command)
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertTrue(third.stderr.contains("3 already there, 1 to generate"), third.stderr)
        XCTAssertTrue(third.stderr.contains("[1/1] a cat & a dog [ok]-1"), third.stderr)
        let after = try stamps()
        XCTAssertEqual(Set(after.keys), Set(names))
        for name in names.prefix(3) { XCTAssertEqual(after[name], before[name], "\(name) was kept") }

        let slash = dir.appendingPathComponent("slash.txt")
        try "a red/blue ball\n".write(to: slash, atomically: true, encoding: .utf8)
        let bad = try run(["eval", "vbench-samples", "--prompts", slash.path, "--save-dir", out.path])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("line 1 'a red/blue ball' contains '/'"), bad.stderr)
    }

    func testEvalHelpListsItsCommands() throws {
        let r = try run(["eval", "--help"])
        XCTAssertEqual(r.status, 0)
        for sub in ["vae", "vbench-samples"] { XCTAssertTrue(r.stdout.contains(sub), sub) }
        let vbench = try run(["eval", "vbench-samples", "--help"])
        for option in ["--prompts", "--save-dir", "--num-samples", "--start-index", "--resolution", "--num-sampling-steps", "--seed", "--model-dir"] {
            XCTAssertTrue(vbench.stdout.contains(option), option)
        }
        let top = try run(["--help"])
        XCTAssertTrue(top.stdout.contains("eval"))
    }
}
