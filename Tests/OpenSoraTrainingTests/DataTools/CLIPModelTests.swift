import Foundation
import MLXTensor
import NN
@testable import OpenSora
@testable import OpenSoraTraining
import XCTest

/// Parity with tools/make_clip_fixtures.py: a small seeded transformers `CLIPModel` (HF key names),
/// an aesthetic MLP `.pth` of the predictor's layout, OpenAI clip's PIL preprocessing.
final class CLIPModelTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/clip")
    static let rtol: Float = 1e-4, atol: Float = 1e-5
    static let imageCount = 3

    func reference() throws -> [String: Tensor] {
        try Safetensors.load(Self.folder.appendingPathComponent("reference.safetensors").path).tensors
    }

    /// allclose with the worst element reported; returns the max |got − want|.
    @discardableResult
    static func assertClose(_ got: Tensor, _ want: Tensor, _ what: String, atol: Float = atol,
                            file: StaticString = #filePath, line: UInt = #line) throws -> Float {
        XCTAssertEqual(got.shape, want.shape, "\(what) shape", file: file, line: line)
        guard got.shape == want.shape else { return .infinity }
        let g = try got.toArray(), w = try want.toArray()
        var maxAbs: Float = 0
        for i in g.indices {
            let err = abs(g[i] - w[i])
            maxAbs = max(maxAbs, err.isNaN ? .infinity : err)
            if !(err <= atol + rtol * abs(w[i])) {
                XCTFail("\(what): element \(i) got \(g[i]) want \(w[i])", file: file, line: line)
                break
            }
        }
        print("[CLIP parity] \(what): max |Δ| = \(maxAbs)")
        return maxAbs
    }

    func testConfigJSONDecodesOverTheViTL14Defaults() throws {
        let config = try CLIPConfig.load(folder: Self.folder.path)
        XCTAssertEqual(config.vision.imageSize, 56)
        XCTAssertEqual(config.vision.patchSize, 14)
        XCTAssertEqual(config.vision.hiddenSize, 48)
        XCTAssertEqual(config.text.hiddenSize, 32)
        XCTAssertEqual(config.text.maxPositionEmbeddings, 77)
        XCTAssertEqual(config.projectionDim, 24)
        XCTAssertEqual(CLIPConfig.vitL14.vision.hiddenSize, 1024)
        XCTAssertEqual(CLIPConfig.vitL14.text.hiddenSize, 768)
    }

    func testParameterPathsEqualTransformersCLIPModel() throws {
        let file = try Safetensors.load(Self.folder.appendingPathComponent("model.safetensors").path).tensors
        let model = try CLIPModel(try CLIPConfig.load(folder: Self.folder.path), key: RandomKey(seed: 3))
        XCTAssertEqual(model.stateDict().keys.sorted(), file.keys.sorted())
        let report = try model.loadWeights(from: file, strict: true)
        XCTAssertTrue(report.isClean)
    }

    /// The default config has openai/clip-vit-large-patch14's layout (shapes only: nothing is evaluated).
    func testTheDefaultIsTheViTL14Layout() throws {
        let state = try CLIPModel(.vitL14, key: RandomKey(seed: 0)).stateDict()
        // vision: 3 embeddings + 2 norms × 2 + 24 layers × 16; text: 2 embeddings + 2 + 12 × 16; two projections, logit_scale
        XCTAssertEqual(state.count, 3 + 2 * 2 + 24 * 16 + 2 + 2 + 12 * 16 + 2 + 1)
        let shapes: [String: [Int]] = [
            "vision_model.embeddings.patch_embedding.weight": [1024, 3, 14, 14],
            "vision_model.embeddings.position_embedding.weight": [257, 1024],
            "vision_model.encoder.layers.23.mlp.fc1.weight": [4096, 1024],
            "text_model.embeddings.token_embedding.weight": [49408, 768],
            "text_model.embeddings.position_embedding.weight": [77, 768],
            "text_model.encoder.layers.11.self_attn.out_proj.bias": [768],
            "visual_projection.weight": [768, 1024], "text_projection.weight": [768, 768], "logit_scale": [],
        ]
        for (name, shape) in shapes { XCTAssertEqual(state[name]?.shape, shape, name) }
        let head = try AestheticHead(key: RandomKey(seed: 0)).stateDict()
        XCTAssertEqual(head.keys.sorted(), [0, 2, 4, 6, 7].flatMap { ["layers.\($0).bias", "layers.\($0).weight"] })
        XCTAssertEqual(head["layers.0.weight"]?.shape, [1024, 768])
        XCTAssertEqual(head["layers.7.weight"]?.shape, [1, 16])
    }

    func testPreprocessingMatchesOpenAIClipWithPIL() throws {
        let ref = try reference()
        for i in 0..<Self.imageCount {
            let image = try XCTUnwrap(ref["image\(i)"])
            let size = VideoSize(height: image.dim(0), width: image.dim(1))
            let bytes = try image.toBytes()
            let pixels = CLIPPreprocessing.pixels(bytes, size: size, side: 56)
            // Pillow's integer resampling is reproduced exactly; the float normalisation differs by rounding only.
            try Self.assertClose(Tensor(pixels, shape: [3, 56, 56]), try XCTUnwrap(ref["pixels\(i)"]), "pixels\(i)")
        }
    }

    func testImageEmbeddingsAndAestheticScoresMatchTheReference() throws {
        let ref = try reference()
        let model = try CLIPModel.load(folder: Self.folder.path)
        let head = try AestheticHead.load(path: Self.folder.appendingPathComponent("aesthetic.pth").path)
        let pixels = Tensor.concatenate((0..<Self.imageCount).map { ref["pixels\($0)"]!.expandedDims(0) }, axis: 0)
        let embeds = model.imageEmbeddings(pixels)
        try Self.assertClose(embeds, try XCTUnwrap(ref["image_embeds"]), "image_embeds")
        let normalized = CLIPModel.normalized(embeds)
        try Self.assertClose(normalized, try XCTUnwrap(ref["normalized_embeds"]), "normalized_embeds")
        try Self.assertClose(head(normalized), try XCTUnwrap(ref["aesthetic"]), "aesthetic")
    }

    func testTextEmbeddingsAndMatchingLogitsMatchTheReference() throws {
        let ref = try reference()
        let model = try CLIPModel.load(folder: Self.folder.path)
        let ids = try XCTUnwrap(ref["input_ids"]).toInt32Array()
        let rows = stride(from: 0, to: ids.count, by: 77).map { Array(ids[$0..<$0 + 77]) }
        let text = model.textEmbeddings(rows)
        try Self.assertClose(text, try XCTUnwrap(ref["text_embeds"]), "text_embeds")
        let pixels = Tensor.concatenate((0..<Self.imageCount).map { ref["pixels\($0)"]!.expandedDims(0) }, axis: 0)
        let logits = model.logits(imageEmbeddings: model.imageEmbeddings(pixels), textEmbeddings: text)
        try Self.assertClose(logits, try XCTUnwrap(ref["logits"]), "logits", atol: 1e-3)
    }

    func testMissingWeightsNameThePathAndWhatIsAccepted() {
        XCTAssertThrowsError(try CLIPModel.load(folder: "/nonexistent/clip")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/clip"), "\(error)")
            XCTAssertTrue("\(error)".contains("model.safetensors"), "\(error)")
        }
        XCTAssertThrowsError(try AestheticHead.load(path: "/nonexistent/aesthetic.pth")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/aesthetic.pth"), "\(error)")
        }
    }
}
