import Foundation
import MLXTensor
import OpenSora
@testable import OpenSoraTraining
import XCTest

final class PretrainedDenoiserWeightsTests: XCTestCase {
    /// PixArt names become STDiT3's: blocks → spatial_blocks, pos_embed dropped, y_embedding padded with its last
    /// row (or cut) to model_max_length rows.
    func testPixArtKeysAreRemapped() throws {
        var c = STDiT3Config.tiny
        c.modelMaxLength = 5
        let model = try STDiT3(c, key: RandomKey(seed: 0))
        let short = Tensor((0..<(3 * 2)).map(Float.init), shape: [3, 2])
        let out = try PretrainedDenoiserWeights.remapped(["blocks.1.attn.qkv.weight": Tensor([1]), "pos_embed": Tensor([2]),
                                                          "y_embedder.y_embedding": short, "t_block.1.bias": Tensor([3])], for: model)
        XCTAssertEqual(Set(out.keys), ["spatial_blocks.1.attn.qkv.weight", "y_embedder.y_embedding", "t_block.1.bias"])
        XCTAssertEqual(try out["y_embedder.y_embedding"]!.toArray() as [Float], [0, 1, 2, 3, 4, 5, 4, 5, 4, 5])
        let long = Tensor((0..<(7 * 2)).map(Float.init), shape: [7, 2])
        let cut = try PretrainedDenoiserWeights.remapped(["y_embedder.y_embedding": long], for: model)
        XCTAssertEqual(try cut["y_embedder.y_embedding"]!.toArray() as [Float], Array((0..<10).map(Float.init)))
    }

    /// A reference training checkpoint folder is read through its model/ subfolder; other paths as given.
    func testReferenceCheckpointFolderReadsItsModelSubfolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ref-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/model", withIntermediateDirectories: true)
        XCTAssertEqual(PretrainedDenoiserWeights.location(folder), folder + "/model")
        XCTAssertEqual(PretrainedDenoiserWeights.location(folder + "/model"), folder + "/model")
    }
}
