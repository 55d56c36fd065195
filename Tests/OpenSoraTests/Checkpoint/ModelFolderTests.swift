import Foundation
import MLXTensor
import NN
@testable import OpenSora
import XCTest

extension TorchFileBuilder {
    /// A `.bin` of float32 tensors, one storage each, as torch.save writes a state dict.
    static func stateDict(_ tensors: [String: Tensor]) throws -> [UInt8] {
        var specs = [TensorSpec](), storages = [String: [UInt8]]()
        for (i, (name, t)) in tensors.sorted(by: { $0.key < $1.key }).enumerated() {
            let values = try t.asType(.float32).toArray()
            var strides = [Int](repeating: 1, count: t.shape.count)
            for d in stride(from: t.shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * t.shape[d + 1] }
            specs.append(TensorSpec(name: name, storageKey: "\(i)", storageElements: values.count, shape: t.shape, strides: strides))
            storages["\(i)"] = values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
        }
        return checkpoint(specs, storageBytes: storages)
    }
}

/// One loader for every model: each Hugging Face form gives the same tensors.
final class ModelFolderTests: XCTestCase {
    var dir: URL!
    let weights: [String: Tensor] = ["a.weight": Tensor([1, 2, 3, 4], shape: [2, 2]), "b": Tensor([5])]

    override func setUpWithError() throws { dir = try temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func folder(_ name: String) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func assertLoads(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let got = try ModelFolder.tensors(at: path)
        XCTAssertEqual(got.keys.sorted(), ["a.weight", "b"], file: file, line: line)
        XCTAssertEqual(got["a.weight"]?.shape, [2, 2], file: file, line: line)
        XCTAssertEqual(try got["a.weight"]?.toArray(), [1, 2, 3, 4], file: file, line: line)
        XCTAssertEqual(try got["b"]?.toArray(), [5], file: file, line: line)
    }

    func testEverySingleFileForm() throws {
        for name in ["model.safetensors", "diffusion_pytorch_model.safetensors"] {
            let f = try folder(name)
            try Tensor.save(safetensors: f.appendingPathComponent(name).path, weights)
            try assertLoads(f.path)
            try assertLoads(f.appendingPathComponent(name).path)
        }
        for name in ["pytorch_model.bin", "diffusion_pytorch_model.bin"] {
            let f = try folder(name)
            try Data(TorchFileBuilder.stateDict(weights)).write(to: f.appendingPathComponent(name))
            try assertLoads(f.path)
            try assertLoads(f.appendingPathComponent(name).path)
        }
        let pt = dir.appendingPathComponent("ema.ckpt")  // no known extension: sniffed as a zip
        try Data(TorchFileBuilder.stateDict(weights)).write(to: pt)
        try assertLoads(pt.path)
    }

    func testShardedBinIndex() throws {
        let f = try folder("sharded")
        try Data(TorchFileBuilder.stateDict(["a.weight": weights["a.weight"]!])).write(to: f.appendingPathComponent("s1.bin"))
        try Data(TorchFileBuilder.stateDict(["b": weights["b"]!])).write(to: f.appendingPathComponent("s2.bin"))
        try Data(#"{"weight_map": {"a.weight": "s1.bin", "b": "s2.bin"}}"#.utf8).write(to: f.appendingPathComponent("pytorch_model.bin.index.json"))
        try assertLoads(f.path)
    }

    func testSafetensorsPreferredOverBin() throws {
        let f = try folder("both")
        try Tensor.save(safetensors: f.appendingPathComponent("model.safetensors").path, weights)
        try Data("not a zip".utf8).write(to: f.appendingPathComponent("pytorch_model.bin"))
        try assertLoads(f.path)
    }
}
