import Foundation
@testable import OpenSora
import XCTest

/// `opensora train-vae` as a user runs it: a tiny stage-1 run whose checkpoint `eval vae` then scores.
extension CommandLineTests {
    func testTrainVAEWritesACheckpointThatEvalVAELoads() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var csv = "path,text,num_frames,height,width\n"
        for name in ["a", "b"] {
            var rgb = [UInt8]()
            for f in 0..<12 { for y in 0..<24 { for x in 0..<32 { rgb += [UInt8((x * 7 + f * 3) % 256), UInt8(y * 9 % 256), 90] } } }
            try VideoWriter.write(VideoFrames(count: 12, size: VideoSize(height: 24, width: 32), rgb: rgb),
                                  to: dir.appendingPathComponent(name).path, format: .mp4, fps: 24)
            csv += "\(name).mp4,clip \(name),12,24,32\n"
        }
        let data = dir.appendingPathComponent("data.csv"), outputs = dir.appendingPathComponent("outputs")
        try csv.write(to: data, atomically: true, encoding: .utf8)
        let r = try run(["train-vae", "vae_stage1", "--data-path", data.path, "--outputs", outputs.path, "--dtype", "fp32",
                         "--set", "model.type=VideoAutoencoderPipeline-tiny", "--set", "model.vae_2d.from_pretrained=null",
                         "--set", "dataset.num_frames=5", "--set", "dataset.image_size=[16, 16]", "--set", "max_steps=2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("perceptual (LPIPS) term off"), r.stderr)
        let checkpoint = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(checkpoint.hasSuffix("global_step2"), checkpoint)
        for file in ["config.json", "model.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: (checkpoint as NSString).appendingPathComponent(file)), file)
        }
        let eval = try run(["eval", "vae", "--data", data.path, "--ckpt-path", checkpoint, "--vae-config", "tiny", "--num-frames", "5",
                            "--image-size", "16", "16", "--out", dir.appendingPathComponent("metrics.json").path])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertTrue(eval.stdout.contains("overall: PSNR"), eval.stdout)

        let wrong = try run(["train-vae", "stage1", "--data-path", data.path])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.stderr.contains("this command trains 'vae'"), wrong.stderr)
        XCTAssertTrue(try run(["--help"]).stdout.contains("train-vae"))
    }
}
