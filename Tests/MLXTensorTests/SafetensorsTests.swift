import Foundation
import MLXTensor
import XCTest

final class SafetensorsTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func testRoundTripKeepsDTypesValuesAndMetadata() throws {
        let path = dir.appendingPathComponent("a.safetensors").path
        let tensors: [String: Tensor] = [
            "f32": Tensor([1.5, -2, 3], shape: [3, 1]), "bf16": Tensor([0.5, 1.25, -3], dtype: .bfloat16),
            "f16": Tensor([0.25, 8], dtype: .float16), "i64": Tensor(int64: [7, -9]), "u8": Tensor([1, 0, 2], dtype: .uint8),
        ]
        try Tensor.save(safetensors: path, tensors, metadata: ["kind": "test", "config": "{\"a\": 1}"])
        let file = try Safetensors.load(path)
        XCTAssertEqual(file.metadata, ["kind": "test", "config": "{\"a\": 1}"])
        XCTAssertEqual(Set(file.tensors.keys), Set(tensors.keys))
        for (name, t) in tensors {
            XCTAssertEqual(file.tensors[name]?.dtype, t.dtype, name)
            XCTAssertEqual(file.tensors[name]?.shape, t.shape, name)
            XCTAssertEqual(try file.tensors[name]?.toArray(), try t.toArray(), name)
        }
        let header = try Safetensors.header(of: path)
        XCTAssertEqual(header.entries.first { $0.name == "bf16" }?.dtype, .bfloat16)
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.contains(".tmp") })
    }

    func testTruncatedFileNamesTheTensor() throws {
        let path = dir.appendingPathComponent("t.safetensors").path
        try Tensor.save(safetensors: path, ["big": Tensor.zeros([64])])
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Tensor.load(safetensors: path)) { error in
            XCTAssertTrue("\(error)".contains("'big'") && "\(error)".contains("truncated"), "\(error)")
        }
    }

    func testGarbageAndMissingFilesAreErrors() throws {
        let path = dir.appendingPathComponent("g.safetensors").path
        try Data("this is not a tensor file at all".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Tensor.load(safetensors: path)) { XCTAssertTrue("\($0)".contains("header"), "\($0)") }
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Tensor.load(safetensors: path)) { XCTAssertTrue("\($0)".contains("8-byte"), "\($0)") }
        XCTAssertThrowsError(try Tensor.load(safetensors: dir.appendingPathComponent("none.safetensors").path)) {
            XCTAssertTrue("\($0)".contains("cannot open"), "\($0)")
        }
    }
}

final class SafetensorsAtomicSaveTests: XCTestCase {
    /// The old code removed the target before moving the new file in: a crash between the two lost it.
    func testSaveReplacesWithoutTheTargetEverBeingAbsent() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("w.safetensors").path
        try Tensor.save(safetensors: path, ["w": Tensor([0])])
        let absent = try absencesWhileReplacing(path) {
            for i in 1...150 { try Tensor.save(safetensors: path, ["w": Tensor([Float(i)])]) }
        }
        XCTAssertEqual(absent, 0)
        XCTAssertEqual(try Tensor.load(safetensors: path)["w"]?.toArray(), [150])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["w.safetensors"])
    }

    func testFailedSaveKeepsTheOldFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-fail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("w.safetensors").path
        try Tensor.save(safetensors: path, ["w": Tensor([1, 2])])
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let failed = Tensor([1, 2, 3]).reshaped([5])  // a failed tensor: its error surfaces at save
        XCTAssertThrowsError(try Tensor.save(safetensors: path, ["w": failed]))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["w.safetensors"])
    }
}

/// Hand-built headers whose numbers overflow Int arithmetic: each must be a typed error naming the
/// tensor, never an overflow trap.
final class SafetensorsMalformedHeaderTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    /// A safetensors file with `header` as its JSON and `dataBytes` zero bytes of data.
    func file(_ header: String, dataBytes: Int = 8) throws -> String {
        let json = Array(header.utf8)
        var bytes = (0..<8).map { UInt8((json.count >> (8 * $0)) & 0xFF) }
        bytes += json + [UInt8](repeating: 0, count: dataBytes)
        let path = dir.appendingPathComponent("\(UUID().uuidString).safetensors").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func assertRejected(_ header: String, mentions words: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try self.file(header)
        XCTAssertThrowsError(try Safetensors.header(of: path), file: file, line: line) { error in
            for w in words { XCTAssertTrue("\(error)".contains(w), "'\(w)' not in: \(error)", file: file, line: line) }
        }
    }

    func testShapeProductOverflowIsAnError() throws {
        try assertRejected(#"{"x":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#,
                           mentions: ["'x'", "[4294967296, 4294967296]", "overflows"])
    }

    func testByteCountOverflowIsAnError() throws {
        try assertRejected(#"{"x":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}}"#,
                           mentions: ["'x'", "overflows"])
    }

    func testOffsetDifferenceOverflowIsAnError() throws {
        try assertRejected(#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[1,-9223372036854775808]}}"#,
                           mentions: ["'x'", "data_offsets"])
    }

    func testOffsetsBeyondTheFileAreAnError() throws {
        try assertRejected(#"{"x":{"dtype":"F32","shape":[2305843009213693951],"data_offsets":[0,9223372036854775804]}}"#,
                           mentions: ["'x'", "truncated"])
    }

    func testNegativeDimensionIsAnError() throws {
        try assertRejected(#"{"x":{"dtype":"F32","shape":[-1,-4],"data_offsets":[0,16]}}"#, mentions: ["'x'", "[-1, -4]"])
    }

    /// A folder used to report "9223372036854775807 bytes, shorter than the 8-byte header".
    func testFolderIsNamedAsAFolder() throws {
        XCTAssertThrowsError(try Safetensors.load(dir.path)) { error in
            XCTAssertTrue("\(error)".contains(self.dir.path) && "\(error)".contains("is a folder"), "\(error)")
            XCTAssertTrue("\(error)".contains(".safetensors file"), "\(error)")
            XCTAssertFalse("\(error)".contains("9223372036854775807"), "\(error)")
        }
    }
}
