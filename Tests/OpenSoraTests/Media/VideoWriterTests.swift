import Foundation
@testable import OpenSora
import XCTest

/// Counts the moments `path` is absent while `body` rewrites it (a rename-over write: never).
private func absencesWhileReplacing(_ path: String, _ body: () throws -> Void) rethrows -> Int {
    final class Flag: @unchecked Sendable { var stop = false; var absent = 0 }
    let flag = Flag(), done = DispatchSemaphore(value: 0)
    Thread {
        while !flag.stop { if access(path, F_OK) != 0 { flag.absent += 1 } }
        done.signal()
    }.start()
    defer { flag.stop = true; done.wait() }
    try body()
    return flag.absent
}

final class VideoWriterTests: XCTestCase {
    func frames(_ count: Int, value: UInt8, width: Int = 16, height: Int = 16) -> VideoFrames {
        VideoFrames(count: count, size: VideoSize(height: height, width: width),
                    rgb: [UInt8](repeating: value, count: count * width * height * 3))
    }

    /// The old writer removed the target and then moved the new file in: a crash between lost both.
    func testRewriteNeverLeavesTheTargetAbsent() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("sample_0000").path
        let first = try VideoWriter.write(frames(2, value: 10), to: base, format: .gif, fps: 8)
        let absent = try absencesWhileReplacing(first) {
            for i in 0..<3 { try VideoWriter.write(frames(2, value: UInt8(40 * i)), to: base, format: .gif, fps: 8) }
        }
        XCTAssertEqual(absent, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["sample_0000.gif"])
    }

    func testFrameFolderIsReplacedWhole() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("frames").path
        try VideoWriter.write(frames(3, value: 10), to: base, format: .png, fps: 8)
        let absent = try absencesWhileReplacing(base) {
            for _ in 0..<2 { try VideoWriter.write(frames(1, value: 200), to: base, format: .png, fps: 8) }
        }
        XCTAssertEqual(absent, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: base), ["0001.png"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["frames"])
    }

    /// ffmpeg refuses odd sizes for yuv420p H.264: the failed encode must leave the old video intact.
    func testFailedEncodeKeepsTheOldVideo() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("v").path
        let path = try VideoWriter.write(frames(2, value: 10), to: base, format: .mp4, fps: 8)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try VideoWriter.write(frames(2, value: 99, width: 15, height: 15), to: base, format: .mp4, fps: 8))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["v.mp4"])
    }
}
