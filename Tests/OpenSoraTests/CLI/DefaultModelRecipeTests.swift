import Foundation
@testable import OpenSora
import XCTest

/// The recipe that builds the embedded default model (`make default-model`).
extension CommandLineTests {
    /// `make default-model`'s script end to end on a handful of clips and one step per trainer (a test of the recipe,
    /// not of quality): data, tiny T5, VAE, export, features, STDiT3, export, evaluation, into temporary folders.
    func testTheDefaultModelRecipeRunsEndToEndOnATinyBudget() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let model = dir.appendingPathComponent("model").path, out = dir.appendingPathComponent("out").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [root.appendingPathComponent("scripts/default-model.sh").path]
        p.currentDirectoryURL = root
        p.environment = ProcessInfo.processInfo.environment.merging([
            "BIN": Self.binary.path, "DATA": dir.appendingPathComponent("data").path, "OUT": out, "MODEL": model,
            "TRAIN_CLIPS": "16", "HELD_OUT_CLIPS": "2", "VAE_STEPS": "1", "STDIT_STEPS": "2",
            "VAE_SET": "batch_size=1;ckpt_every=0", "STDIT_SET": "ckpt_every=0;warmup_steps=1", "EXTRACT_SET": #"bucket_config={"64": {17: [1.0, 8]}}"#,
            "EVAL_ARGS": "--samples-per-prompt 1 --num-i2v 1 --num-vae 1 --num-sampling-steps 2",
            "EVAL_ARGS_GENERATE": "--num-sampling-steps 2", "STRIP": dir.appendingPathComponent("strip.png").path,
        ]) { $1 }
        let log = dir.appendingPathComponent("recipe.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        p.waitUntilExit()
        try handle.close()
        let output = try String(contentsOf: log, encoding: .utf8)
        XCTAssertEqual(p.terminationStatus, 0, String(output.suffix(3000)))
        for part in ["stdit", "vae", "t5"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(model)/\(part)/config.json"), part)
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(model)/\(part)/model.safetensors"), part)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(model)/stdit/generation_config.json"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(model)/t5/spiece.model"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/eval-shapes.json"))) as? [String: Any]
        XCTAssertEqual((report?["t2v"] as? [String: Any])?["count"] as? Int, 12)
        XCTAssertEqual((report?["i2v"] as? [String: Any])?["count"] as? Int, 1)
        XCTAssertEqual((report?["vae"] as? [String: Any])?["clips"] as? Int, 1)
        XCTAssertTrue(output.contains("text→video"), String(output.suffix(2000)))
        // Six prompts, each a row of five 64-px frames 2 px apart with 2 px below, tripled.
        let strip = try VideoReader.probe(dir.appendingPathComponent("strip.png").path)
        XCTAssertEqual(strip.size, VideoSize(height: 6 * (64 + 2) * 3, width: (5 * 64 + 4 * 2) * 3))
    }
}
