import MLXTensor
import NN
import XCTest

/// A small model shaped like the official ones: camelCase properties with explicit PyTorch keys,
/// arrays of blocks, an optional submodule and a persistent buffer.
final class Block: Module {
    @Child(key: "attn") var attention: Linear
    let norm = LayerNorm(4, affine: false)
    let mlp: Sequential

    override init() {
        let keys = RandomKey(seed: 3).split(into: 3)
        mlp = Sequential([Linear(4, 8, key: keys[0]), GELU(approximation: .tanh), Linear(8, 4, key: keys[1])])
        super.init()
        attention = Linear(4, 4, key: keys[2])
    }
}

final class TinyModel: Module {
    @Child(key: "x_embedder") var patchEmbedder: Convolution
    @Parameter(key: "y_embedding", trainable: false) var nullEmbedding = Tensor.zeros([2, 4])
    let blocks: [Block]
    @Child(key: "extra") var optionalHead: Linear?

    init(withHead: Bool) {
        blocks = [Block(), Block()]
        super.init()
        patchEmbedder = Convolution(3, 4, kernelSize: [1, 2, 2], stride: [1, 2, 2], key: RandomKey(seed: 4))
        optionalHead = withHead ? Linear(4, 2, bias: false, key: RandomKey(seed: 5)) : nil
    }
}

final class ModuleTreeTests: XCTestCase {
    func testPathsFollowPyTorchNamesInDeclarationOrder() {
        let names = TinyModel(withHead: true).namedParameters().map(\.0)
        XCTAssertEqual(names, [
            "x_embedder.weight", "x_embedder.bias", "y_embedding",
            "blocks.0.attn.weight", "blocks.0.attn.bias", "blocks.0.mlp.0.weight", "blocks.0.mlp.0.bias",
            "blocks.0.mlp.2.weight", "blocks.0.mlp.2.bias",
            "blocks.1.attn.weight", "blocks.1.attn.bias", "blocks.1.mlp.0.weight", "blocks.1.mlp.0.bias",
            "blocks.1.mlp.2.weight", "blocks.1.mlp.2.bias",
            "extra.weight",
        ])
        XCTAssertFalse(TinyModel(withHead: false).namedParameters().map(\.0).contains("extra.weight"))
    }

    func testBuffersAndFrozenPrefixesAreNotTrainable() {
        let model = TinyModel(withHead: false)
        XCTAssertFalse(model.trainableParameters().map(\.0).contains("y_embedding"))
        model.frozenPrefixes = ["blocks.1."]
        XCTAssertFalse(model.trainableParameters().map(\.0).contains { $0.hasPrefix("blocks.1.") })
        XCTAssertTrue(model.trainableParameters().map(\.0).contains("blocks.0.attn.weight"))
    }

    func testStateDictUsesPyTorchConvLayoutAndRoundTrips() throws {
        let model = TinyModel(withHead: true)
        let state = model.stateDict()
        XCTAssertEqual(state["x_embedder.weight"]?.shape, [4, 3, 1, 2, 2])  // [O, I, kT, kH, kW]
        XCTAssertEqual(model.patchEmbedder.weight.shape, [4, 1, 2, 2, 3])  // MLX [O, k…, I]
        let other = TinyModel(withHead: true)
        let report = try other.loadWeights(from: state)
        XCTAssertTrue(report.isClean)
        XCTAssertEqual(report.loaded, state.count)
        for (name, t) in model.namedParameters() {
            XCTAssertEqual(try other.namedParameters().first { $0.0 == name }?.1.toArray(), try t.toArray(), name)
        }
    }

    func testStrictLoadNamesMissingUnexpectedAndWrongShapeKeys() throws {
        var state = TinyModel(withHead: true).stateDict()
        state["blocks.0.attn.bias"] = nil
        state["blocks.7.attn.bias"] = Tensor.zeros([4])
        state["blocks.1.attn.weight"] = Tensor.zeros([4, 5])
        XCTAssertThrowsError(try TinyModel(withHead: true).loadWeights(from: state)) { error in
            guard case CheckpointError.mismatch(let report) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(report.missing, ["blocks.0.attn.bias"])
            XCTAssertEqual(report.unexpected, ["blocks.7.attn.bias"])
            XCTAssertEqual(report.wrongShape, [.init(path: "blocks.1.attn.weight", expected: [4, 4], found: [4, 5])])
            XCTAssertTrue("\(error)".contains("blocks.7.attn.bias"))
        }
        let lenient = try TinyModel(withHead: true).loadWeights(from: state, strict: false)
        XCTAssertEqual(lenient.missing, ["blocks.0.attn.bias"])
        XCTAssertFalse(lenient.isClean)
    }

    func testCheckpointFilesFromFolderAndShardedIndex() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = TinyModel(withHead: false)
        let state = model.stateDict()
        let names = state.keys.sorted()
        let first = Dictionary(uniqueKeysWithValues: names.prefix(5).map { ($0, state[$0]!) })
        let rest = Dictionary(uniqueKeysWithValues: names.dropFirst(5).map { ($0, state[$0]!) })
        try Tensor.save(safetensors: dir.appendingPathComponent("model-00002-of-00002.safetensors").path, first)
        try Tensor.save(safetensors: dir.appendingPathComponent("model-00001-of-00002.safetensors").path, rest)
        let map = names.prefix(5).map { "\"\($0)\": \"model-00002-of-00002.safetensors\"" }
            + names.dropFirst(5).map { "\"\($0)\": \"model-00001-of-00002.safetensors\"" }
        try Data("{\"metadata\": {}, \"weight_map\": {\(map.joined(separator: ","))}}".utf8)
            .write(to: dir.appendingPathComponent("model.safetensors.index.json"))
        XCTAssertTrue(try TinyModel(withHead: false).loadWeights(path: dir.path).isClean)
        XCTAssertThrowsError(try TinyModel(withHead: false).loadWeights(path: dir.appendingPathComponent("nope").path)) {
            XCTAssertTrue("\($0)".contains("nope"))
        }
    }
}

/// `update(parameters:)` replaces all or nothing and names what it refuses.
final class ModuleUpdateTests: XCTestCase {
    func testAWrongShapeIsATypedErrorAndChangesNothing() throws {
        let layer = Linear(3, 2, key: RandomKey(seed: 3))
        let before = try layer.weight.toArray()
        XCTAssertThrowsError(try layer.update(parameters: ["bias": Tensor([7, 7]), "weight": Tensor.zeros([3, 2])])) {
            XCTAssertEqual($0 as? ParameterUpdateError, .wrongShape(path: "weight", expected: [2, 3], got: [3, 2]))
            XCTAssertEqual("\($0)", "[update] weight has shape [2, 3], the replacement [3, 2]")
        }
        XCTAssertEqual(try layer.weight.toArray(), before)
        XCTAssertNotEqual(try layer.bias!.toArray(), [7, 7])
    }

    func testUnknownPathsAndFailedTensorsAreRefused() throws {
        let layer = Linear(3, 2, key: RandomKey(seed: 3))
        XCTAssertThrowsError(try layer.update(parameters: ["bias": Tensor([7, 7]), "nope": Tensor([1]), "also": Tensor([1])])) {
            XCTAssertEqual($0 as? ParameterUpdateError, .unknownPaths(["also", "nope"]))
        }
        XCTAssertNotEqual(try layer.bias!.toArray(), [7, 7])
        let failure = TensorError.mlx("[test] broken")
        XCTAssertThrowsError(try layer.update(parameters: ["bias": Tensor(failure: failure)])) {
            XCTAssertEqual($0 as? TensorError, failure)
        }
        try layer.update(parameters: ["bias": Tensor([7, 7])])
        XCTAssertEqual(try layer.bias!.toArray(), [7, 7])
    }
}
