import Foundation
import MLXTensor
import NN
import XCTest

final class OptimTests: XCTestCase {
    func testAdamWStepsMatchHandDerivedUpdates() throws {
        let opt = AdamW(learningRate: 0.1, betas: (0.9, 0.999), eps: 1e-8, weightDecay: 0.01)
        var p = ["w": Tensor([1.0, -2.0])]
        // Step 1, g = [0.5, -1]: m = 0.1g, v = 0.001g², m̂ = g, v̂ = g², update = lr·sign(g) (eps negligible);
        // decoupled decay first: p·(1 − 0.1·0.01).
        p = try opt.update(parameters: p, grads: ["w": Tensor([0.5, -1])])
        assertClose(try p["w"]!.toArray(), [1 * 0.999 - 0.1, -2 * 0.999 + 0.1], accuracy: 1e-6)
        // Step 2, g = [0.5, 0]: m = 0.09·0.5+0.05 = 0.095 / (1 − 0.81) → 0.5; v = 0.000999·0.25+0.00025 → /(1 − 0.998001)
        p = try opt.update(parameters: p, grads: ["w": Tensor([0.5, 0])])
        let m1 = 0.9 * 0.05 + 0.05, v1 = 0.999 * 0.00025 + 0.00025
        let step0 = 0.1 * (m1 / 0.19) / ((v1 / (1 - 0.998001)).squareRoot() + 1e-8)
        let m2 = 0.9 * -0.1, v2 = 0.999 * 0.001
        let step1 = 0.1 * (m2 / 0.19) / ((v2 / (1 - 0.998001)).squareRoot() + 1e-8)
        let w0 = (1 * 0.999 - 0.1) * 0.999 - step0, w1 = (-2 * 0.999 + 0.1) * 0.999 - step1
        assertClose(try p["w"]!.toArray(), [Float(w0), Float(w1)], accuracy: 1e-5)
        XCTAssertEqual(opt.step, 2)
    }

    func testAdamWStateSavesAndResumesIdentically() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("adam-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = AdamW(learningRate: 0.01)
        var p = ["w": Tensor([1, 2, 3])]
        p = try a.update(parameters: p, grads: ["w": Tensor([0.1, -0.2, 0.3])])
        try a.save(to: dir.path)
        let b = AdamW(learningRate: 0.01)
        try b.load(from: dir.path, parameters: p)
        XCTAssertEqual(b.step, 1)
        let g = ["w": Tensor([0.3, 0.1, -0.5])]
        XCTAssertEqual(try a.update(parameters: p, grads: g)["w"]!.toArray(), try b.update(parameters: p, grads: g)["w"]!.toArray())
    }

    func testGradientClippingScalesToMaxNorm() throws {
        let grads = ["a": Tensor([3, 0]), "b": Tensor([4])]  // global norm 5
        let (clipped, norm) = try clipGradientNorm(grads, maxNorm: 1)
        XCTAssertEqual(norm, 5, accuracy: 1e-6)
        assertClose(try clipped["a"]!.toArray(), [3 / (5 + 1e-6), 0])
        assertClose(try clipped["b"]!.toArray(), [4 / (5 + 1e-6)])
        let (same, _) = try clipGradientNorm(grads, maxNorm: 10)
        XCTAssertEqual(try same["b"]!.toArray(), [4])
    }

    func testEMAAndWarmup() throws {
        let ema = EMA(parameters: ["w": Tensor([0]), "pos_embed": Tensor([0])], decay: 0.9)
        try ema.update(with: ["w": Tensor([10]), "pos_embed": Tensor([10])])
        try ema.update(with: ["w": Tensor([10]), "pos_embed": Tensor([10])])
        XCTAssertEqual(try ema.shadow["w"]!.item(), 1.9, accuracy: 1e-6)  // 0.9·1 + 1
        XCTAssertEqual(try ema.shadow["pos_embed"]!.item(), 0)
        let warm = WarmupSchedule(baseLearningRate: 1e-4, warmupSteps: 3)
        XCTAssertEqual(warm.learningRate(afterSteps: 0), 1e-4 / 4, accuracy: 1e-10)
        XCTAssertEqual(warm.learningRate(afterSteps: 2), 3e-4 / 4, accuracy: 1e-10)
        XCTAssertEqual(warm.learningRate(afterSteps: 3), 1e-4)
    }

    func testModuleGradientsDriveATinyRegressionToItsSolution() throws {
        // y = 2x + 1 learned by Linear(1,1) with AdamW on valueAndGrad over the module tree.
        let layer = Linear(1, 1, key: RandomKey(seed: 1))
        let x = Tensor([-1, 0, 1, 2], shape: [4, 1]), y = x * 2 + 1
        let opt = AdamW(learningRate: 0.1)
        var first: Float = 0, last: Float = 0
        for i in 0..<300 {
            let (loss, grads) = try layer.valueAndGrad { (layer(x) - y).square().mean() }
            if i == 0 { first = try loss.item() }
            last = try loss.item()
            try opt.step(layer, grads: grads)
        }
        XCTAssertLessThan(last, first * 1e-3)
        XCTAssertEqual(try layer.weight.item(), 2, accuracy: 0.02)
        XCTAssertEqual(try layer.bias!.item(), 1, accuracy: 0.02)
    }
}
