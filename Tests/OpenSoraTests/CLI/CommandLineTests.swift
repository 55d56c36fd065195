import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import OpenSora
import XCTest

/// The `opensora` binary as a user runs it: exit codes, one-line errors, real files.
final class CommandLineTests: XCTestCase {
    /// The executable beside the test bundle (both are products of the same build).
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("opensora")

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw OpenSoraError.invalidInput("opensora is not built at \(Self.binary.path): run `swift build --build-tests` first")
        }
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// With no model named, `generate` runs the shipped model at its own size, length and fps (generation_config.json).
    func testGenerateWithNoModelUsesTheDefaultModelAtItsOwnSizeLengthAndRate() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["generate", "a red circle moving left", "--num-sampling-steps", "2", "--save-dir", dir.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let probe = try VideoReader.probe(dir.appendingPathComponent("sample_0000.mp4").path)
        XCTAssertEqual(probe.frames, 17)
        XCTAssertEqual(probe.size, VideoSize(height: 64, width: 64))
        XCTAssertEqual(probe.fps, 8, accuracy: 1e-6)
        let sidecar = try String(contentsOfFile: dir.appendingPathComponent("sample_0000.mp4.json").path, encoding: .utf8)
        // The model was trained on bare captions: no aesthetic-score suffix is appended.
        XCTAssertFalse(sidecar.contains("aesthetic score"), sidecar)
    }

    func testGenerateWritesAnMP4WithTheRequestedFramesSizeAndRate() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["generate", "a red circle moving left", "--num-sampling-steps", "2", "--resolution", "144p", "--aspect-ratio", "9:16",
                         "--num-frames", "17", "--fps", "12", "--save-dir", dir.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let probe = try VideoReader.probe(dir.appendingPathComponent("sample_0000.mp4").path)
        XCTAssertEqual(probe.frames, 17)
        XCTAssertEqual(probe.size, VideoSize(height: 144, width: 256))
        XCTAssertEqual(probe.fps, 12, accuracy: 1e-6)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("sample_0000.mp4.json").path))
    }

    func testUserMistakesAreOneLineErrorsWithNonZeroExit() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [([String], String)] = [
            (["--resolution", "999p"], "'999p' is invalid for '--resolution <resolution>'. Please provide one of the following:"),
            (["--aspect-ratio", "7:5"], "'7:5' is invalid for '--aspect-ratio <aspect-ratio>'. Please provide one of the following:"),
            (["--num-frames", "5"], "num_frames 5"),
            (["--num-frames", "lots"], "invalid frame count 'lots'"),
            (["--mask-strategy", "0,a"], "invalid mask strategy '0,a'"),
            (["--reference-path", "/nonexistent.png", "--mask-strategy", "0"], "/nonexistent.png"),
            (["--model-dir", "/nonexistent-models"], "/nonexistent-models"),
            (["--format", "avi"], "'avi' is invalid for '--format <format>'. Please provide one of 'mp4', 'png' or 'gif'"),
            (["--num-frames", "1000000"], "num_frames 1000000 is out of range"),
            (["--num-frames", "4000", "--resolution", "720p"], "this request needs about"),
            (["--prompt-path", "/"], "cannot read --prompt-path '/': it is a folder"),
            (["--prompt-path", "/nonexistent-prompts.txt"], "cannot read --prompt-path '/nonexistent-prompts.txt': no such file"),
            (["--camera-motion", "spin"], "'spin' is invalid for '--camera-motion <camera-motion>'"),
        ]
        for (extra, message) in cases {
            let r = try run(["generate", "a cat", "--num-sampling-steps", "1", "--save-dir", dir.path, "--quiet"] + extra)
            XCTAssertNotEqual(r.status, 0, "\(extra)")
            XCTAssertTrue(r.stderr.contains(message), "\(extra): \(r.stderr)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "nothing partial is left behind")
    }

    /// With the progress bar on, an error that stops the run starts a line of its own.
    func testAnErrorAfterProgressStartsItsOwnLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["generate", "a cat", "--num-sampling-steps", "1", "--save-dir", dir.path, "--resolution", "144p",
                         "--num-frames", "1", "--reference-path", "/nonexistent.png", "--mask-strategy", "0"])
        XCTAssertNotEqual(r.status, 0)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.hasPrefix("[0:00] loading models") }, r.stderr)
        XCTAssertTrue(lines.contains { $0.hasPrefix("Error: ") && $0.contains("/nonexistent.png") }, r.stderr)
    }

    func testTrainPlotDrawsTheLogsLossCurvesIntoAnSVG() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("log.jsonl"), svg = dir.appendingPathComponent("loss.svg")
        let lines = (1...5).map { #"{"step": \#($0), "epoch": 0, "loss": \#(1.0 / Double($0)), "lr": 0.0001, "samples_per_s": 2.0, "elapsed_s": \#($0)}"# }
            + [#"{"step": 6, "epoch": 0, "loss": 0.1, "lr": 0.0001, "samples_per_s": 2.0, "elapsed_s": 6, "eval": {"240p": 0.3}}"#]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: log)
        let r = try run(["train", "plot", log.path, "--out", svg.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOf: svg, encoding: .utf8)
        XCTAssertTrue(XMLParser(data: Data(text.utf8)).parse(), "well-formed SVG")
        let polylines = text.components(separatedBy: "<polyline").dropFirst()
        XCTAssertEqual(polylines.count, 2, "the loss and the eval-loss curves")
        let lossPoints = polylines.first?.components(separatedBy: "points=\"").last?.prefix { $0 != "\"" }
        XCTAssertEqual(lossPoints?.split(separator: " ").count, 6)
        let missing = try run(["train", "plot", dir.appendingPathComponent("none.jsonl").path, "--out", svg.path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("none.jsonl"), missing.stderr)
    }

    func testHelpListsTheSubcommandsAndReferenceOptionNames() throws {
        let r = try run(["generate", "--help"])
        XCTAssertEqual(r.status, 0)
        for option in ["--prompt-path", "--save-dir", "--resolution", "--aspect-ratio", "--num-frames", "--fps", "--seed",
                       "--num-sampling-steps", "--cfg-scale", "--aes", "--flow", "--camera-motion", "--reference-path",
                       "--mask-strategy", "--loop", "--condition-frame-length", "--batch-size", "--dtype", "--quiet"] {
            XCTAssertTrue(r.stdout.contains(option), option)
        }
        let top = try run(["--help"])
        for sub in ["generate", "train", "inspect", "info"] { XCTAssertTrue(top.stdout.contains(sub), sub) }
    }
}
