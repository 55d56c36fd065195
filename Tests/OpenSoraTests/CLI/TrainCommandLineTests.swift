import Foundation
@testable import OpenSora
import XCTest

/// `opensora train` as a user runs it on a fresh clone: the tiny preset on two clips, a resume, the loss plot,
/// the evaluation loss and a video generated from the checkpoint.
extension CommandLineTests {
    func testTrainResumeEvaluateAndGenerateFromTheCheckpoint() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var csv = "path,text,num_frames,height,width\n"
        for (i, name) in ["a", "b"].enumerated() {
            var rgb = [UInt8]()
            for f in 0..<20 { for y in 0..<144 { for x in 0..<256 {
                let inside = abs(x - 40 - 8 * f - 60 * i) < 24 && abs(y - 72) < 24
                rgb += inside ? [230, UInt8(60 * i), 40] : [10, 10, 10]
            } } }
            try VideoWriter.write(VideoFrames(count: 20, size: VideoSize(height: 144, width: 256), rgb: rgb),
                                  to: dir.appendingPathComponent(name).path, format: .mp4, fps: 24)
            csv += "\(name).mp4,a square moving right \(name),20,144,256\n"
        }
        let data = dir.appendingPathComponent("data.csv").path, outputs = dir.appendingPathComponent("outputs").path
        try csv.write(toFile: data, atomically: true, encoding: .utf8)

        let first = try run(["train", "tiny", "--data-path", data, "--outputs", outputs, "--set", "max_steps=2"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let checkpoint = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(checkpoint.hasSuffix("global_step2"), checkpoint)
        let experiment = (checkpoint as NSString).deletingLastPathComponent

        let resumed = try run(["train", "tiny", "--data-path", data, "--outputs", outputs, "--set", "max_steps=3", "--resume", experiment])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resumed from \(checkpoint) at step 2"), resumed.stderr)
        let last = resumed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(last.hasSuffix("global_step3"), last)

        let svg = dir.appendingPathComponent("loss.svg").path
        XCTAssertEqual(try run(["train", "plot", experiment + "/log.jsonl", "--out", svg]).status, 0)
        XCTAssertTrue(try String(contentsOfFile: svg, encoding: .utf8).contains("<svg"))

        let json = dir.appendingPathComponent("loss.json").path
        let eval = try run(["eval", "loss", "tiny", "--data-path", data, "--ckpt-path", last, "--out", json,
                            "--set", #"eval_bucket_config={"144p": {17: [1.0, 2]}}"#, "--set", "num_eval_timesteps=2"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        let entries = try XCTUnwrap(report?["entries"] as? [[String: Any]])
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries[0]["num_frames"] as? Int, 17)
        XCTAssertEqual(report?["timesteps"] as? [Double], [334, 668])

        let videos = dir.appendingPathComponent("videos")
        let gen = try run(["generate", "a square moving right", "--ckpt-path", last, "--use-ema", "--num-sampling-steps", "2",
                           "--resolution", "144p", "--num-frames", "17", "--save-dir", videos.path, "--quiet"])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        XCTAssertEqual(try VideoReader.probe(videos.appendingPathComponent("sample_0000.mp4").path).frames, 17)

        let bad = try run(["train", "tiny", "--data-path", data, "--set", "optimizer.lrr=1"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("optimizer.lrr"), bad.stderr)
    }
}
