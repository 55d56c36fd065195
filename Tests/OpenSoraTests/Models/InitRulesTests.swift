import Foundation
import MLXTensor
import NN
@testable import OpenSora
import XCTest

/// Initialisation rules of the models the fixture tool cannot build here (HF T5, diffusers' AutoencoderKL),
/// checked against the rule's closed-form distribution. A sample std of n values has relative standard
/// error 0.71/√n (normal) or 0.45/√n (uniform): the tolerance is five of them.
final class InitRulesTests: XCTestCase {
    func testT5FollowsHuggingFaceInitWeights() throws {
        let c = T5Config.tiny
        let model = try T5EncoderModel(c, key: RandomKey(seed: 31))
        model.initializeWeights(key: RandomKey(seed: 32))
        func std(_ n: Int) -> Float { 1 / Float(n).squareRoot() }
        // transformers T5PreTrainedModel._init_weights, initializer_factor 1.0.
        let rules: [(suffix: String, std: Float)] = [
            ("SelfAttention.q.weight", std(c.modelDimensions * c.keyValueDimensions)),
            ("SelfAttention.k.weight", std(c.modelDimensions)), ("SelfAttention.v.weight", std(c.modelDimensions)),
            ("SelfAttention.o.weight", std(c.headCount * c.keyValueDimensions)),
            ("relative_attention_bias.weight", std(c.modelDimensions)),
            ("DenseReluDense.wi_0.weight", std(c.modelDimensions)), ("DenseReluDense.wi_1.weight", std(c.modelDimensions)),
            ("DenseReluDense.wi.weight", std(c.modelDimensions)), ("DenseReluDense.wo.weight", std(c.feedForwardDimensions)),
        ]
        var checked = 0
        for (name, t) in model.namedParameters() {
            let s = try InitStatistics(t)
            if name == "shared.weight" || name == "encoder.embed_tokens.weight" {
                assertNormal(s, std: 1, name)
            } else if name.hasSuffix("layer_norm.weight") {
                XCTAssertTrue(s.values.allSatisfy { $0 == 1 }, name)
            } else if let rule = rules.first(where: { name.hasSuffix($0.suffix) }) {
                assertNormal(s, std: rule.std, name)
            } else {
                XCTFail("no T5 init rule covers \(name)")
            }
            checked += 1
        }
        XCTAssertEqual(checked, model.namedParameters().count)
        XCTAssertTrue(model.namedParameters().contains { $0.0.hasSuffix("relative_attention_bias.weight") })
    }

    func testSpatialVAEHoldsPyTorchLayerDefaults() throws {
        let vae = try VideoAutoencoderKL(.tiny, key: RandomKey(seed: 41))
        vae.initializeWeights(key: RandomKey(seed: 42))
        var convolutions = 0, linears = 0
        for (name, module) in vae.namedModules() {
            if let conv = module as? Convolution {
                let bound = 1 / Float(conv.weight.shape.dropFirst().reduce(1, *)).squareRoot()
                try assertUniform(conv.weight, bound: bound, name + ".weight")
                if let bias = conv.bias { try assertUniform(bias, bound: bound, name + ".bias", stdCheck: false) }
                convolutions += 1
            } else if let linear = module as? Linear {
                let bound = 1 / Float(linear.inputDimensions).squareRoot()
                try assertUniform(linear.weight, bound: bound, name + ".weight")
                linears += 1
            } else if let norm = module as? GroupNorm {
                XCTAssertTrue(try InitStatistics(XCTUnwrap(norm.weight)).values.allSatisfy { $0 == 1 }, name)
                XCTAssertTrue(try InitStatistics(XCTUnwrap(norm.bias)).allZero, name)
            }
        }
        XCTAssertGreaterThan(convolutions, 10)
        XCTAssertEqual(linears, 8)  // to_q/k/v/out of the encoder's and the decoder's mid-block attention
    }

    func testNoTwoLayersShareWeights() throws {
        // Each constructor hands its children their own keys: equal-shaped layers differ.
        let vae = try VideoVAE(.tiny, key: RandomKey(seed: 51))
        var seen = [[Int]: [Float]]()
        for (name, t) in vae.namedParameters() where t.count >= 16 {
            let values = try t.toArray()
            if values.allSatisfy({ $0 == values[0] }) { continue }  // norms
            if let other = seen[t.shape] { XCTAssertNotEqual(other, values, "\(name) repeats an earlier \(t.shape) tensor") }
            seen[t.shape] = values
        }
        XCTAssertGreaterThan(seen.count, 3)
    }

    private func assertNormal(_ s: InitStatistics, std: Float, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let n = Float(s.count)
        XCTAssertEqual(s.std, std, accuracy: 5 * 0.71 * std / n.squareRoot(), name, file: file, line: line)
        XCTAssertEqual(s.mean, 0, accuracy: 5 * std / n.squareRoot(), name, file: file, line: line)
    }

    private func assertUniform(_ t: Tensor, bound: Float, _ name: String, stdCheck: Bool = true,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let s = try InitStatistics(t)
        XCTAssertLessThanOrEqual(s.maxAbs, bound, name, file: file, line: line)
        XCTAssertGreaterThan(s.maxAbs, 0, name, file: file, line: line)
        if stdCheck {
            let want = bound / Float(3).squareRoot()
            XCTAssertEqual(s.std, want, accuracy: 5 * 0.45 * want / Float(s.count).squareRoot(), name, file: file, line: line)
        }
    }
}
