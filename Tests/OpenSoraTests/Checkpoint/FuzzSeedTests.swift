import Foundation
import MLXTensor
import NN
@testable import OpenSora
import XCTest

/// The fuzzers' seed corpus (tools/make_fuzz_seeds.py) holds valid files: each parses with the real
/// parsers to the values the tool wrote, so mutations start from inputs that reach deep code.
final class FuzzSeedTests: XCTestCase {
    let corpus = fixturesDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus")

    func seed(_ target: String, _ name: String) -> String { corpus.appendingPathComponent(target).appendingPathComponent(name).path }

    func testTorchSeedLoads() throws {
        let tensors = try TorchCheckpoint.load(seed("torch", "state-dict.bin"))
        XCTAssertEqual(try tensors["a.weight"]?.toArray(), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try tensors["t"]?.toArray(), [0, 3, 1, 4, 2, 5])
        XCTAssertEqual(tensors["h"]?.dtype, .float16)
        XCTAssertEqual(try tensors["h"]?.asType(.float32).toArray(), [2])
        XCTAssertEqual(try ZipArchive(path: seed("zip", "zip64.bin")).entries.keys.sorted(), ["archive/data.pkl", "archive/data/0"])
    }

    func testSafetensorsSpieceIndexAndConfigSeedsParse() throws {
        let header = try Safetensors.header(of: seed("safetensors", "two-tensors.safetensors"))
        XCTAssertEqual(header.entries.map(\.name), ["b", "w"])
        XCTAssertEqual(header.metadata, ["format": "pt"])
        let spiece = try SentencePieceModel(contentsOf: seed("spiece", "tiny.model"))
        XCTAssertEqual(spiece.pieces.map(\.text), ["<pad>", "</s>", "<unk>", "\u{2581}a", "b"])
        XCTAssertEqual(spiece.unknownID, 2)
        let index = try CheckpointFiles.shardNames(index: seed("index", "model.safetensors.index.json"))
        XCTAssertEqual(index, ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"])
        let stdit = try ModelFolder.config(STDiT3Config.self, at: seed("config", "stdit3-tiny.json"))
        XCTAssertEqual(stdit.hiddenSize, 64)
        try stdit.validate()
    }
}
