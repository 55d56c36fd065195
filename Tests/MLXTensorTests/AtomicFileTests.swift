import Foundation
import MLXTensor
import XCTest

/// Counts the moments a path is absent while `body` replaces it: a rename-over write never leaves
/// it absent, a remove-then-move write does (for the few microseconds between the two calls).
func absencesWhileReplacing(_ path: String, _ body: () throws -> Void) rethrows -> Int {
    final class Flag: @unchecked Sendable { var stop = false; var absent = 0; var polls = 0 }
    let flag = Flag(), done = DispatchSemaphore(value: 0)
    let watcher = Thread {
        while !flag.stop {
            if access(path, F_OK) != 0 { flag.absent += 1 }
            flag.polls += 1
        }
        done.signal()
    }
    watcher.start()
    defer { flag.stop = true; done.wait() }
    try body()
    return flag.absent
}

final class AtomicFileTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func leftovers() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }.sorted() }

    func testRenameReplacesTheContent() throws {
        let path = dir.appendingPathComponent("a.json").path
        try AtomicFile.write(Data("old".utf8), to: path)
        try AtomicFile.write(Data("new content".utf8), to: path, durable: true)
        XCTAssertEqual(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self), "new content")
        XCTAssertEqual(try leftovers(), [])
    }

    func testFailedProducerLeavesTheOldBytesAndNoTemporaryFile() throws {
        struct Boom: Error {}
        let path = dir.appendingPathComponent("b.bin").path
        try AtomicFile.write(Data([1, 2, 3]), to: path)
        XCTAssertThrowsError(try AtomicFile.write(to: path) { temp in
            try Data([9, 9]).write(to: URL(fileURLWithPath: temp))  // half written, then the producer fails
            throw Boom()
        }) { XCTAssertTrue($0 is Boom, "\($0)") }
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), [1, 2, 3])
        XCTAssertEqual(try leftovers(), [])
    }

    func testProducerThatWritesNothingIsAnErrorNamingThePath() throws {
        let path = dir.appendingPathComponent("c.bin").path
        XCTAssertThrowsError(try AtomicFile.write(to: path) { _ in }) {
            XCTAssertTrue("\($0)".contains(path) && "\($0)".contains("no output"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testFolderIsReplacedWholeAndNeverAbsent() throws {
        let path = dir.appendingPathComponent("frames").path
        func writeFolder(_ names: [String]) throws {
            try AtomicFile.write(to: path) { temp in
                try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
                for n in names { try Data(n.utf8).write(to: URL(fileURLWithPath: temp).appendingPathComponent(n)) }
            }
        }
        try writeFolder(["0001.png", "0002.png", "0003.png"])
        let absent = try absencesWhileReplacing(path) { for _ in 0..<100 { try writeFolder(["0001.png"]) } }
        XCTAssertEqual(absent, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path), ["0001.png"])
        XCTAssertEqual(try leftovers(), [])
    }

    func testFileIsNeverAbsentWhileReplaced() throws {
        let path = dir.appendingPathComponent("d.bin").path
        try AtomicFile.write(Data([0]), to: path)
        let absent = try absencesWhileReplacing(path) { for i in 0..<100 { try AtomicFile.write(Data([UInt8(i)]), to: path) } }
        XCTAssertEqual(absent, 0)
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), [99])
    }

    /// A target whose name is near the 255-byte limit (a long VBench prompt as a file name) is still
    /// written: the temporary name is shortened, not the target's.
    func testANameNearTheLimitIsWritten() throws {
        let name = String(repeating: "é", count: 100) + String(repeating: "a", count: 50) + ".mp4"  // 254 bytes
        XCTAssertEqual(name.utf8.count, 254)
        let path = dir.appendingPathComponent(name).path
        try AtomicFile.write(Data("x".utf8), to: path)
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("x".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [name], "no temporary file is left")
    }
}
