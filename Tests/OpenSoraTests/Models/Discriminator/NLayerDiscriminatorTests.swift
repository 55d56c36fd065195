import MLXTensor
import NN
@testable import OpenSora
import XCTest

/// The PatchGAN discriminator: the reference's state_dict names and shapes, its output size and both inits.
final class NLayerDiscriminatorTests: XCTestCase {
    /// `NLayerDiscriminator(input_nc=3, ndf=64, n_layers=3).state_dict()` (PyTorch layouts).
    static let referenceShapes: [String: [Int]] = {
        var s: [String: [Int]] = ["main.0.weight": [64, 3, 4, 4], "main.0.bias": [64], "main.2.weight": [128, 64, 4, 4],
                                  "main.5.weight": [256, 128, 4, 4], "main.8.weight": [512, 256, 4, 4],
                                  "main.11.weight": [1, 512, 4, 4], "main.11.bias": [1]]
        for (i, c) in [(3, 128), (6, 256), (9, 512)] {
            for name in ["weight", "bias", "running_mean", "running_var"] { s["main.\(i).\(name)"] = [c] }
            s["main.\(i).num_batches_tracked"] = []
        }
        return s
    }()

    func testStateDictNamesAndShapesEqualTheReference() {
        let d = NLayerDiscriminator(.v1_2, key: RandomKey(seed: 0))
        let layouts = d.parameterLayouts()
        let got = Dictionary(uniqueKeysWithValues: d.namedParameters().map { ($0.0, layouts[$0.0, default: .identity].toPyTorch(shape: $0.1.shape)) })
        XCTAssertEqual(got, Self.referenceShapes)
        XCTAssertEqual(d.namedParameters().first { $0.0 == "main.3.num_batches_tracked" }?.1.dtype, .int64)
        XCTAssertTrue(d.isTraining, "train_vae.py runs it in training mode")
    }

    func testPatchLogitsShape() throws {
        let d = NLayerDiscriminator(.tiny, key: RandomKey(seed: 1))
        // 32 → 16 (stride 2) → 8 (stride 2) → 7 (stride 1, k4 p1) → 6 (stride 1).
        let y = d(Tensor.normal([3, 32, 32, 3], key: RandomKey(seed: 2)))
        XCTAssertEqual(y.shape, [3, 6, 6, 1])
        try y.eval()
    }

    func testInitialisations() throws {
        let key = RandomKey(seed: 3)
        let plain = NLayerDiscriminator(.v1_2, initialization: .pyTorchDefault, key: key)
        let weightsInit = NLayerDiscriminator(.v1_2, initialization: .nLayerWeightsInit, key: key)
        func values(_ d: NLayerDiscriminator, _ path: String) throws -> [Float] {
            try d.namedParameters().first { $0.0 == path }!.1.toArray()
        }
        func std(_ v: [Float]) -> Float {
            let m = v.reduce(0, +) / Float(v.count)
            return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Float(v.count)).squareRoot()
        }
        // n_layer_disc_weights_init: conv weights N(0, 0.02), BatchNorm weight N(1, 0.02), bias 0.
        let conv = try values(weightsInit, "main.8.weight")
        XCTAssertEqual(std(conv), 0.02, accuracy: 0.001)
        XCTAssertEqual(conv.reduce(0, +) / Float(conv.count), 0, accuracy: 0.001)
        let gamma = try values(weightsInit, "main.9.weight")
        XCTAssertEqual(gamma.reduce(0, +) / Float(gamma.count), 1, accuracy: 0.005)
        XCTAssertEqual(std(gamma), 0.02, accuracy: 0.005)
        XCTAssertEqual(try values(weightsInit, "main.9.bias"), Array(repeating: 0, count: 512))
        // The conv biases keep PyTorch's default draw; the registry-built model is all defaults (U(±1/√fan_in), γ = 1).
        XCTAssertEqual(try values(weightsInit, "main.0.bias"), try values(plain, "main.0.bias"))
        let bound = 1 / Float(256 * 16).squareRoot()
        XCTAssertLessThanOrEqual(try values(plain, "main.8.weight").map(abs).max()!, bound)
        XCTAssertEqual(try values(plain, "main.9.weight"), Array(repeating: 1, count: 512))
        XCTAssertEqual(try values(plain, "main.9.running_var"), Array(repeating: 1, count: 512))
    }
}
