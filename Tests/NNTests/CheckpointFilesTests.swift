import Foundation
import MLXTensor
import NN
import XCTest

/// Sharded indexes are file-derived too: an index may only name shards inside its own folder, and a
/// missing shard is reported with the index that names it.
final class CheckpointFilesTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("model"), withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func index(_ json: String) throws -> String {
        let folder = dir.appendingPathComponent("model")
        try Data(json.utf8).write(to: folder.appendingPathComponent("model.safetensors.index.json"))
        return folder.path
    }

    func testIndexCannotNameAShardOutsideItsFolder() throws {
        try Tensor.save(safetensors: dir.appendingPathComponent("outside.safetensors").path, ["w": Tensor([1])])
        let folder = try index(#"{"weight_map": {"w": "../outside.safetensors"}}"#)
        XCTAssertThrowsError(try CheckpointFiles.tensors(at: folder)) { error in
            XCTAssertTrue("\(error)".contains("../outside.safetensors") && "\(error)".contains("inside the index's folder"), "\(error)")
        }
    }

    func testMissingShardNamesTheIndex() throws {
        let folder = try index(#"{"weight_map": {"w": "model-00001-of-00002.safetensors"}}"#)
        XCTAssertThrowsError(try CheckpointFiles.tensors(at: folder)) { error in
            XCTAssertTrue("\(error)".contains("model.safetensors.index.json") && "\(error)".contains("model-00001-of-00002.safetensors"),
                          "\(error)")
        }
    }

    func testMalformedWeightMapIsAnError() throws {
        for json in [#"{"weight_map": {"w": 7}}"#, #"{"weight_map": []}"#, #"[1, 2]"#, "not json"] {
            let folder = try index(json)
            XCTAssertThrowsError(try CheckpointFiles.tensors(at: folder), json) { error in
                XCTAssertTrue("\(error)".contains("model.safetensors.index.json") && "\(error)".contains("weight_map"), "\(error)")
            }
        }
    }

    func testDiffusersShardedIndexLoads() throws {
        let folder = dir.appendingPathComponent("model")
        try Tensor.save(safetensors: folder.appendingPathComponent("a.safetensors").path, ["w": Tensor([1, 2])])
        try Tensor.save(safetensors: folder.appendingPathComponent("b.safetensors").path, ["v": Tensor([3])])
        try Data(#"{"weight_map": {"w": "a.safetensors", "v": "b.safetensors"}}"#.utf8)
            .write(to: folder.appendingPathComponent("diffusion_pytorch_model.safetensors.index.json"))
        let tensors = try CheckpointFiles.tensors(at: folder.path)
        XCTAssertEqual(try tensors["w"]?.toArray(), [1, 2])
        XCTAssertEqual(try tensors["v"]?.toArray(), [3])
    }

    func testEmptyFolderListsWhatIsAccepted() throws {
        XCTAssertThrowsError(try CheckpointFiles.tensors(at: dir.appendingPathComponent("model").path)) { error in
            for name in ["model.safetensors", "diffusion_pytorch_model.safetensors", "pytorch_model.bin", "pytorch_model.bin.index.json"] {
                XCTAssertTrue("\(error)".contains(name), "\(name) not in \(error)")
            }
        }
    }

    func testBinWithoutATorchReaderNamesTheFile() throws {
        let bin = dir.appendingPathComponent("model/pytorch_model.bin")
        try Data([0x50, 0x4B, 0x03, 0x04]).write(to: bin)
        XCTAssertThrowsError(try CheckpointFiles.tensors(at: bin.path)) { error in
            XCTAssertTrue("\(error)".contains(bin.path) && "\(error)".contains("ModelFolder"), "\(error)")
        }
    }
}
