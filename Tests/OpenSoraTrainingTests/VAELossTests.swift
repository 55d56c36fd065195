import MLXTensor
import OpenSora
@testable import OpenSoraTraining
import XCTest

/// A stand-in for LPIPS: per-frame distance = mean |real − fake| + the frame's index / 10, recording calls.
final class FakePerceptual: PerceptualLoss {
    var calls = 0
    var lastChannels = 0

    func callAsFunction(_ real: Tensor, _ reconstructed: Tensor) throws -> Tensor {
        calls += 1
        lastChannels = real.dim(1)
        let n = real.dim(0)
        return (real - reconstructed).abs().mean(axes: [1, 2, 3]) + Tensor.arange(0, Double(n)) / 10
    }
}

final class VAELossTests: XCTestCase {
    /// A posterior with mean m and logvar l everywhere over [b, 1, 1, 1, 2].
    func posterior(batch: Int, mean: Float, logvar: Float) -> DiagonalGaussian {
        let m = Tensor.full([batch, 1, 1, 1, 2], value: mean), l = Tensor.full([batch, 1, 1, 1, 2], value: logvar)
        return DiagonalGaussian(moments: Tensor.concatenate([m, l], axis: 1), axis: 1)
    }

    func testNLLIsASumPerFrameWithTheConstantLogvar() throws {
        // b = 2, t = 3, c·h·w = 3·2·2 = 12 elements per frame, |x − x̂| = 0.5 everywhere.
        let x = Tensor.zeros([2, 3, 3, 2, 2]), rec = Tensor.full([2, 3, 3, 2, 2], value: 0.5)
        let loss = VAELoss(VAELossConfig(logvarInit: 0.25, perceptualLossWeight: 0, klLossWeight: 0))
        let terms = try loss(x, rec, posterior: posterior(batch: 2, mean: 0, logvar: 0))
        let perElement = 0.5 / Float(exp(0.25)) + 0.25
        XCTAssertEqual(try terms.nll.item(), perElement * 12, accuracy: 1e-5)  // 72 elements / 6 frames
        XCTAssertEqual(try terms.weightedNLL.item(), perElement * 12, accuracy: 1e-5)
        XCTAssertEqual(try terms.weightedKL.item(), 0)
        XCTAssertEqual(terms.weightedKL.shape, [])
    }

    /// pixel_loss l2 (added): the squared difference in place of |x − x̂|, the rest unchanged.
    func testTheL2PixelLossSquaresTheDifference() throws {
        let x = Tensor.zeros([1, 1, 2, 1, 2]), rec = Tensor([0.5, -2, 3, 0], shape: [1, 1, 2, 1, 2])
        let l1 = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0, klLossWeight: 0))
        let l2 = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0, klLossWeight: 0, pixelLoss: .l2))
        let p = posterior(batch: 1, mean: 0, logvar: 0)
        XCTAssertEqual(try l1(x, rec, posterior: p).nll.item(), (0.5 + 2 + 3 + 0) / 2, accuracy: 1e-6)
        XCTAssertEqual(try l2(x, rec, posterior: p).nll.item(), (0.25 + 4 + 9 + 0) / 2, accuracy: 1e-6)
        let config = try TrainingConfig.preset("vae_stage3", overrides: [try ConfigOverride(parsing: "vae_loss.pixel_loss=l2")])
        XCTAssertEqual(try VAETrainingStage(config: config).lossConfig.pixelLoss, .l2)
        XCTAssertThrowsError(try TrainingConfig.preset("vae_stage3", overrides: [try ConfigOverride(parsing: "vae_loss.pixel_loss=l3")])) {
            XCTAssertTrue("\($0)".contains("l3"), "\($0)")
        }
    }

    func testNLLWeightsScaleOnlyTheWeightedTerm() throws {
        let x = Tensor.zeros([1, 1, 2, 1, 1]), rec = Tensor([1, 3], shape: [1, 1, 2, 1, 1])
        let loss = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0, klLossWeight: 0))
        // Frames (b t) = [frame 0, frame 1]: weights 2 and 0 → (2·1 + 0·3) / 2.
        let terms = try loss(x, rec, posterior: posterior(batch: 1, mean: 0, logvar: 0),
                             nllWeights: Tensor([2, 0], shape: [2, 1, 1, 1]))
        XCTAssertEqual(try terms.nll.item(), 2, accuracy: 1e-6)
        XCTAssertEqual(try terms.weightedNLL.item(), 1, accuracy: 1e-6)
    }

    func testKLIsWeightedAndAveragedOverTheBatchWithTheLogvarClamped() throws {
        let loss = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0, klLossWeight: 1e-6))
        let x = Tensor.zeros([2, 3, 1, 2, 2])
        // Per element 0.5·(m² + e^l − 1 − l); 2 elements per sample, so Σ_b / b = 2 · per element.
        let p = posterior(batch: 2, mean: 2, logvar: 1)
        let perElement = 0.5 * (4 + Float(exp(1.0)) - 1 - 1)
        XCTAssertEqual(try loss(x, x, posterior: p).weightedKL.item(), 1e-6 * 2 * perElement, accuracy: 1e-11)
        // logvar 25 is clamped to 20 before the KL.
        let clamped = posterior(batch: 2, mean: 0, logvar: 25)
        let atTwenty = 0.5 * (Float(exp(20.0)) - 1 - 20)
        XCTAssertEqual(try loss(x, x, posterior: clamped).weightedKL.item(), 1e-6 * 2 * atTwenty, accuracy: 1e-6 * 2 * atTwenty * 1e-5)
    }

    func testPerceptualTermIsAddedPerFrameOnlyWhenItsWeightIsPositive() throws {
        let x = Tensor.zeros([1, 3, 2, 2, 2]), rec = Tensor.full([1, 3, 2, 2, 2], value: 0.5)
        let fake = FakePerceptual()
        let on = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0.1, klLossWeight: 0), perceptual: fake)
        // L1 per frame: 12 · 0.5 = 6. LPIPS stand-in per frame: 0.5 + index/10, broadcast over 12 elements.
        let terms = try on(x, rec, posterior: posterior(batch: 1, mean: 0, logvar: 0))
        let expected = (6 + 12 * 0.1 * 0.5 + 6 + 12 * 0.1 * 0.6) / Float(2)
        XCTAssertEqual(try terms.nll.item(), expected, accuracy: 1e-5)
        XCTAssertEqual(fake.calls, 1)
        _ = try on(x, rec, posterior: posterior(batch: 1, mean: 0, logvar: 0), noPerceptual: true)
        XCTAssertEqual(fake.calls, 1)
        let off = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0, klLossWeight: 0), perceptual: fake)
        XCTAssertEqual(try off(x, rec, posterior: posterior(batch: 1, mean: 0, logvar: 0)).nll.item(), 6, accuracy: 1e-6)
        XCTAssertEqual(fake.calls, 1)
    }

    func testPerceptualInputsAreRGBAndMissingNetworksAreErrors() throws {
        let fake = FakePerceptual()
        let loss = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0.1, klLossWeight: 0), perceptual: fake)
        let gray = Tensor.zeros([1, 1, 2, 2, 2])
        _ = try loss(gray, gray, posterior: posterior(batch: 1, mean: 0, logvar: 0))
        XCTAssertEqual(fake.lastChannels, 3)
        let two = Tensor.zeros([1, 2, 2, 2, 2])
        XCTAssertThrowsError(try loss(two, two, posterior: posterior(batch: 1, mean: 0, logvar: 0))) {
            XCTAssertEqual($0 as? VAETrainingError, .perceptualChannels(2))
        }
        let missing = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0.1, klLossWeight: 0))
        XCTAssertThrowsError(try missing(gray, gray, posterior: posterior(batch: 1, mean: 0, logvar: 0))) {
            XCTAssertEqual($0 as? VAETrainingError, .perceptualLossMissing(weight: 0.1))
        }
    }

    func testMismatchedShapesAreErrors() {
        let loss = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0, klLossWeight: 0))
        XCTAssertThrowsError(try loss(Tensor.zeros([1, 3, 2, 2, 2]), Tensor.zeros([1, 3, 1, 2, 2]),
                                      posterior: posterior(batch: 1, mean: 0, logvar: 0))) {
            XCTAssertTrue("\($0)".contains("[1, 3, 1, 2, 2]"), "\($0)")
        }
    }
}
