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
