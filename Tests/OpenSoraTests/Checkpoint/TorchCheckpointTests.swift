import Foundation
import MLXTensor
@testable import OpenSora
import XCTest

/// Tensor records whose shape, strides or storage offset overflow, or point outside their storage:
/// each a typed error naming the tensor, never a trap or an out-of-bounds read.
final class TorchCheckpointTests: XCTestCase {
    typealias Spec = TorchFileBuilder.TensorSpec
    var dir: URL!

    override func setUpWithError() throws { dir = try temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func write(_ bytes: [UInt8], name: String = "pytorch_model.bin") throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func assertRejected(_ spec: Spec, mentions words: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try write(TorchFileBuilder.checkpoint([spec]))
        XCTAssertThrowsError(try TorchCheckpoint.load(path), file: file, line: line) { error in
            for w in words + [path] { XCTAssertTrue("\(error)".contains(w), "'\(w)' not in: \(error)", file: file, line: line) }
        }
    }

    func testContiguousAndTransposedViewsLoad() throws {
        let floats: [Float] = [0, 1, 2, 3, 4, 5]
        let bytes = floats.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
        let path = try write(TorchFileBuilder.checkpoint([
            Spec(name: "a", storageElements: 6, shape: [2, 3], strides: [3, 1]),
            Spec(name: "t", storageElements: 6, shape: [3, 2], strides: [1, 3]),
            Spec(name: "tail", storageElements: 6, offset: 4, shape: [2], strides: [1]),
        ], storageBytes: ["0": bytes]))
        let tensors = try TorchCheckpoint.load(path)
        XCTAssertEqual(tensors["a"]?.shape, [2, 3])
        XCTAssertEqual(try tensors["a"]?.toArray(), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try tensors["t"]?.toArray(), [0, 3, 1, 4, 2, 5])
        XCTAssertEqual(try tensors["tail"]?.toArray(), [4, 5])
    }

    func testShapeProductOverflow() throws {
        try assertRejected(Spec(name: "w", storageElements: 4, shape: [1 << 62, 8], strides: [8, 1]), mentions: ["'w'", "overflow"])
    }

    func testStorageOffsetOverflow() throws {
        try assertRejected(Spec(name: "w", storageElements: 4, offset: 1 << 62, shape: [4], strides: [1]), mentions: ["'w'", "storage"])
    }

    func testStrideOverflow() throws {
        try assertRejected(Spec(name: "w", storageElements: 4, shape: [4, 2], strides: [1 << 62, 1]), mentions: ["'w'", "overflow"])
    }

    func testStridedViewOutsideItsStorage() throws {
        try assertRejected(Spec(name: "w", storageElements: 4, shape: [2, 2], strides: [1, 4]), mentions: ["'w'", "storage"])
    }

    func testNegativeDimensionOrStride() throws {
        try assertRejected(Spec(name: "w", storageElements: 4, shape: [-2, 2], strides: [2, 1]), mentions: ["'w'", "[-2, 2]"])
        try assertRejected(Spec(name: "v", storageElements: 4, offset: 3, shape: [2, 2], strides: [-1, 1]), mentions: ["'v'", "[-1, 1]"])
    }

    func testStorageShorterThanItsDeclaredElements() throws {
        let path = try write(TorchFileBuilder.checkpoint([Spec(name: "w", storageElements: 8, shape: [8], strides: [1])],
                                                         storageBytes: ["0": [UInt8](repeating: 0, count: 12)]))
        XCTAssertThrowsError(try TorchCheckpoint.load(path)) { XCTAssertTrue("\($0)".contains("'w'"), "\($0)") }
    }

    /// A folder used to print an NSCocoaErrorDomain dump without the path.
    func testFolderIsNamedAsAFolder() throws {
        XCTAssertThrowsError(try TorchCheckpoint.load(dir.path)) { error in
            XCTAssertTrue("\(error)".contains(self.dir.path) && "\(error)".contains("is a folder"), "\(error)")
            XCTAssertTrue("\(error)".contains("pytorch_model.bin"), "\(error)")
            XCTAssertFalse("\(error)".contains("NSCocoaErrorDomain"), "\(error)")
        }
    }
}
