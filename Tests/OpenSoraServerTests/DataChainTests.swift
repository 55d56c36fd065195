import Foundation
import Hummingbird
import HummingbirdTesting
import OpenSora
import OpenSoraTraining
import XCTest

/// Issue 18's chain through the real binary, as a user runs it: a folder of raw videos becomes a scored (motion, camera
/// motion, aesthetic, matching with the small fixture CLIP), captioned,
/// filtered CSV that `opensora train` accepts. Captions come from the stub chat endpoint on loopback.
final class DataChainTests: XCTestCase {
    /// The small random CLIP and aesthetic head of tools/make_clip_fixtures.py (the tools' parity fixture).
    static let clip = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/clip")
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("opensora")

    @discardableResult
    static func opensora(_ arguments: [String], in dir: String) throws -> String {
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "1"]) { _, b in b }
        let out = Pipe(), err = Pipe()
        (p.standardOutput, p.standardError) = (out, err)
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "opensora \(arguments.joined(separator: " ")): \(String(decoding: e, as: UTF8.self))")
        return String(decoding: o, as: UTF8.self)
    }

    func table(_ path: String) throws -> CSVTable { try CSVTable(parsing: String(contentsOfFile: path, encoding: .utf8)) }

    func column(_ t: CSVTable, _ name: String) throws -> [String] {
        let c = try XCTUnwrap(t.index(of: name), "no \(name) in \(t.header)")
        return t.records.map { $0[c] }
    }

    func testAFolderOfVideosBecomesATrainingCSV() async throws {
        let dir = try temporaryDataDirectory()
        let raw = (dir as NSString).appendingPathComponent("raw")
        try FileManager.default.createDirectory(atPath: raw, withIntermediateDirectories: true)
        // two.mp4: a moving pattern for 2 s, then a still colour for 2 s (a cut at frame 24); one.mp4: one moving shot.
        try FFmpeg.run(["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=256x144:rate=12:duration=2", "-f", "lavfi",
                        "-i", "color=c=0x3060a0:size=256x144:rate=12:duration=2", "-filter_complex", "[0][1]concat=n=2:v=1[v]",
                        "-map", "[v]", "-c:v", "libx264", "-pix_fmt", "yuv420p", (raw as NSString).appendingPathComponent("two.mp4")])
        try FFmpeg.run(["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=256x144:rate=12:duration=3",
                        "-c:v", "libx264", "-pix_fmt", "yuv420p", (raw as NSString).appendingPathComponent("one.mp4")])
        FileManager.default.createFile(atPath: (raw as NSString).appendingPathComponent("broken.mp4"), contents: Data("not a video".utf8))

        try Self.opensora(["data", "convert", "video", raw, "--output", "meta.csv"], in: dir)
        try Self.opensora(["data", "info", "meta.csv"], in: dir)
        try Self.opensora(["data", "filter", "meta_info.csv", "--fmin", "1"], in: dir)
        let kept = try table((dir as NSString).appendingPathComponent("meta_info_fmin1.csv"))
        XCTAssertEqual(try column(kept, "path").map { ($0 as NSString).lastPathComponent }, ["one.mp4", "two.mp4"])

        try Self.opensora(["data", "scene-detect", "meta_info_fmin1.csv"], in: dir)
        let scenes = try column(try table((dir as NSString).appendingPathComponent("meta_info_fmin1_timestamp.csv")), "timestamp")
        XCTAssertEqual(scenes[1], "[('00:00:00.000', '00:00:02.000'), ('00:00:02.000', '00:00:04.000')]")
        try Self.opensora(["data", "cut", "meta_info_fmin1_timestamp.csv", "--save-dir", "clips", "--min-seconds", "1"], in: dir)
        try Self.opensora(["data", "convert", "video", "clips", "--output", "clips.csv"], in: dir)
        try Self.opensora(["data", "info", "clips.csv"], in: dir)
        try Self.opensora(["data", "motion", "clips_info.csv"], in: dir)
        try Self.opensora(["data", "camera-motion", "clips_info_flow.csv", "--vocabulary", "tracks"], in: dir)
        let scored = try table((dir as NSString).appendingPathComponent("clips_info_flow_cmotion.csv"))
        let names = try column(scored, "path").map { ($0 as NSString).lastPathComponent }
        XCTAssertEqual(names, ["one_scene-0.mp4", "two_scene-0.mp4", "two_scene-1.mp4"])
        let flow = try column(scored, "flow").map { Double($0)! }
        XCTAssertGreaterThan(flow[0], 0.5)
        XCTAssertLessThan(flow[2], 0.05, "the still shot does not move")
        XCTAssertEqual(try column(scored, "cmotion")[2], "static")
        try Self.opensora(["data", "aesthetic", "clips_info_flow_cmotion.csv", "--clip-path", Self.clip.path,
                           "--aesthetic-path", Self.clip.appendingPathComponent("aesthetic.pth").path], in: dir)
        let aes = try column(try table((dir as NSString).appendingPathComponent("clips_info_flow_cmotion_aes.csv")), "aes")
        XCTAssertEqual(aes.compactMap(Double.init).count, 3, "\(aes)")

        let stub = StubChatEndpoint()
        try await stub.application().test(.live) { http in
            let port = try XCTUnwrap(http.port)
            try Self.opensora(["data", "caption", "clips_info_flow_cmotion_aes.csv", "--model", "ok", "--base-url", "http://127.0.0.1:\(port)/v1",
                               "--api-key", "k"], in: dir)
        }
        try Self.opensora(["data", "matching", "clips_info_flow_cmotion_aes_caption.csv", "--clip-path", Self.clip.path], in: dir)
        try Self.opensora(["data", "filter", "clips_info_flow_cmotion_aes_caption_match.csv", "--flowmin", "0.5", "--output", "train.csv"], in: dir)
        let final = try table((dir as NSString).appendingPathComponent("train.csv"))
        XCTAssertEqual(try column(final, "path").map { ($0 as NSString).lastPathComponent }, ["one_scene-0.mp4", "two_scene-0.mp4"])
        XCTAssertEqual(try column(final, "text"), ["A red circle moves left.", "A red circle moves left."])
        XCTAssertEqual(try column(final, "match").compactMap(Double.init).count, 2)

        let out = try Self.opensora(["train", "tiny", "--data-path", "train.csv", "--outputs", "outputs", "--set", "max_steps=1"], in: dir)
        XCTAssertTrue(out.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("global_step1"), out)
    }
}
