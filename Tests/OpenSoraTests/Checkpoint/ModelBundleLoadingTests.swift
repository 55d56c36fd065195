import Foundation
import MLXTensor
import NN
@testable import OpenSora
import XCTest

/// STDiT3 and the VAE load through the same loader as T5: the README promises `.bin` folders too,
/// but they used to accept safetensors only.
final class ModelBundleLoadingTests: XCTestCase {
    func testDenoiserLoadsFromABinFolderWithItsConfig() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try STDiT3(.tiny, key: RandomKey(seed: 3))
        try Data(TorchFileBuilder.stateDict(source.stateDict())).write(to: dir.appendingPathComponent("pytorch_model.bin"))
        try JSONEncoder().encode(STDiT3Config.tiny).write(to: dir.appendingPathComponent("config.json"))
        let loaded = try ModelBundle.loadDenoiser(at: dir.path, dtype: .float32)
        let name = "x_embedder.proj.weight"
        XCTAssertEqual(try XCTUnwrap(loaded.stateDict()[name]).toArray(), try XCTUnwrap(source.stateDict()[name]).toArray())
    }

    func testVAELoadsFromADiffusersBinFolder() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try VideoVAE(.tiny, key: RandomKey(seed: 5))
        try Data(TorchFileBuilder.stateDict(source.stateDict())).write(to: dir.appendingPathComponent("diffusion_pytorch_model.bin"))
        let loaded = try ModelBundle.loadVAE(at: dir.path, config: .tiny, dtype: .float32)
        XCTAssertEqual(loaded.stateDict().keys.sorted(), source.stateDict().keys.sorted())
        let name = "temporal_vae.encoder.conv_in.conv.weight"
        XCTAssertEqual(try XCTUnwrap(loaded.stateDict()[name]).toArray(), try XCTUnwrap(source.stateDict()[name]).toArray())
    }

    func testWrongModelReportsCountsNotEveryName() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Tensor.save(safetensors: dir.appendingPathComponent("model.safetensors").path, ["unrelated": Tensor([1])])
        try JSONEncoder().encode(STDiT3Config.tiny).write(to: dir.appendingPathComponent("config.json"))
        XCTAssertThrowsError(try ModelBundle.loadDenoiser(at: dir.path, dtype: .float32)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("1 unexpected (unrelated)"), text)
            XCTAssertTrue(text.contains("more)"), text)
            XCTAssertLessThan(text.count, 1500)
        }
    }
}
