import Foundation
@testable import OpenSora
import XCTest

/// Hand-built archives whose offsets and sizes overflow Int: typed errors naming the file, no trap.
final class ZipArchiveTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func write(_ bytes: [UInt8]) throws -> String {
        let path = dir.appendingPathComponent("\(UUID().uuidString).bin").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func assertMalformed(_ bytes: [UInt8], mentions word: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try write(bytes)
        XCTAssertThrowsError(try ZipArchive(path: path), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(path) && "\(error)".contains(word), "\(error)", file: file, line: line)
        }
    }

    func testStoredEntriesReadBack() throws {
        let path = try write(TorchFileBuilder.zip([("a/x", [1, 2, 3]), ("a/y", [])]))
        let zip = try ZipArchive(path: path)
        XCTAssertEqual(zip.entries.keys.sorted(), ["a/x", "a/y"])
        XCTAssertEqual([UInt8](try zip.read(zip.entries["a/x"]!)), [1, 2, 3])
        XCTAssertEqual([UInt8](try zip.read(zip.entries["a/x"]!, offset: 1, count: 2)), [2, 3])
        XCTAssertThrowsError(try zip.read(zip.entries["a/x"]!, offset: Int.max, count: 2))
    }

    func testZip64LocatorOffsetAboveIntMax() throws {
        try assertMalformed(TorchFileBuilder.zip64Tail(recordOffset: UInt64.max), mentions: "ZIP64")
    }

    func testZip64DirectoryOffsetAboveIntMax() throws {
        let record = TorchFileBuilder.zip64Record(count: 1, directorySize: 46, directoryOffset: 1 << 63)
        try assertMalformed(record + TorchFileBuilder.zip64Tail(recordOffset: 0), mentions: "central directory")
    }

    func testZip64DirectoryOffsetNearIntMax() throws {
        let record = TorchFileBuilder.zip64Record(count: 1, directorySize: 46, directoryOffset: UInt64(Int.max - 10))
        try assertMalformed(record + TorchFileBuilder.zip64Tail(recordOffset: 0), mentions: "central directory")
    }

    func testZip64EntryCountAboveIntMax() throws {
        let record = TorchFileBuilder.zip64Record(count: UInt64.max, directorySize: 0, directoryOffset: 0)
        try assertMalformed(record + TorchFileBuilder.zip64Tail(recordOffset: 0), mentions: "entries")
    }

    /// A ZIP64 extra field that promises a 64-bit size but ends before it: used to read past the array.
    func testZip64ExtraFieldShorterThanItsValues() throws {
        let entry = TorchFileBuilder.centralEntry(name: Array("x".utf8), size: 0xFFFF_FFFF, offset: 0, extra: [1, 0, 0, 0])
        let bytes = entry + TorchFileBuilder.endRecord(count: 1, directorySize: entry.count, directoryOffset: 0)
        try assertMalformed(bytes, mentions: "extra field")
    }

    func testZip64EntrySizeAboveIntMax() throws {
        let extra = [1, 0, 8, 0] + TorchFileBuilder.le(UInt64.max, 8)
        let entry = TorchFileBuilder.centralEntry(name: Array("x".utf8), size: 0xFFFF_FFFF, offset: 0, extra: extra)
        let bytes = entry + TorchFileBuilder.endRecord(count: 1, directorySize: entry.count, directoryOffset: 0)
        try assertMalformed(bytes, mentions: "size")
    }

    func testLocalHeaderOffsetNearIntMax() throws {
        let extra = [1, 0, 8, 0] + TorchFileBuilder.le(UInt64(Int.max - 5), 8)
        let entry = TorchFileBuilder.centralEntry(name: Array("x".utf8), size: 0, offset: 0xFFFF_FFFF, extra: extra)
        let bytes = entry + TorchFileBuilder.endRecord(count: 1, directorySize: entry.count, directoryOffset: 0)
        try assertMalformed(bytes, mentions: "past the end")
    }
}
