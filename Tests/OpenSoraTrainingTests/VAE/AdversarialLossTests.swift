import MLXTensor
import NN
@testable import OpenSoraTraining
import XCTest

/// losses.py's GAN terms against values worked by hand (softplus values from math.log1p(math.exp(x))).
final class AdversarialLossTests: XCTestCase {
    let real = Tensor([0.5, -2, 1.5])
    let fake = Tensor([-0.5, 2, 0])

    func value(_ t: Tensor) throws -> Double { Double(try t.item() as Float) }

    func testDiscriminatorLosses() throws {
        // hinge: ½(mean[0.5, 3, 0] + mean[0.5, 3, 1]) = ½(3.5/3 + 4.5/3) = 4/3.
        XCTAssertEqual(try value(AdversarialLoss.discriminatorLoss(real: real, fake: fake, type: .hinge)), 4.0 / 3, accuracy: 1e-6)
        // vanilla: ½(mean softplus(−real) + mean softplus(fake)).
        XCTAssertEqual(try value(AdversarialLoss.discriminatorLoss(real: real, fake: fake, type: .vanilla)), 1.016095074831476, accuracy: 1e-6)
        // non-saturating: BCE(real, 1) = softplus(−real), BCE(fake, 0) = softplus(fake): the same value.
        XCTAssertEqual(try value(AdversarialLoss.discriminatorLoss(real: real, fake: fake, type: .nonSaturating)), 1.016095074831476,
                       accuracy: 1e-6)
    }

    func testGeneratorLosses() throws {
        XCTAssertEqual(try value(AdversarialLoss.generatorLoss(fake, type: .hinge)), -0.5, accuracy: 1e-7)
        XCTAssertEqual(try value(AdversarialLoss.generatorLoss(fake, type: .nonSaturating)), 0.5980507252610082, accuracy: 1e-6)
        // Large logits stay finite (the max(x, 0) − x·z + log1p(exp(−|x|)) form).
        XCTAssertEqual(try value(AdversarialLoss.sigmoidCrossEntropy(labels: 0, logits: Tensor([100]))), 100, accuracy: 1e-4)
    }

    func testAdoptWeight() {
        XCTAssertEqual(AdversarialLoss.adoptWeight(1, globalStep: 4, threshold: 5), 0)
        XCTAssertEqual(AdversarialLoss.adoptWeight(1, globalStep: 5, threshold: 5), 1)
        var s = AdversarialSettings()
        XCTAssertEqual(s.factor(atStep: 0), 1, "discriminator_start −1: from the first step")
        s.discriminatorStart = 3
        XCTAssertEqual([0, 2, 3].map(s.factor(atStep:)), [0, 0, 1])
    }

    func testAdaptiveWeight() throws {
        // ‖[3, 4]‖ / (‖[0, 0.5]‖ + 1e-4) · 0.5.
        let w = AdversarialLoss.adaptiveWeight(nllGradient: Tensor([3, 4]), generatorGradient: Tensor([0, 0.5]), generatorFactor: 0.5)
        XCTAssertEqual(try value(w), 4.999000199960008, accuracy: 1e-5)
        // A vanishing generator gradient is clamped at 1e4 before the factor.
        let clamped = AdversarialLoss.adaptiveWeight(nllGradient: Tensor([3, 4]), generatorGradient: Tensor([0, 0]), generatorFactor: 0.5)
        XCTAssertEqual(try value(clamped), 5000, accuracy: 1e-3)
    }

    /// y = W·x with W = [1, 2], x = [3, 4] (y = 11): d(y²)/dW = 2y·x = [66, 88], d(3y)/dW = [9, 12].
    func testGradientsAtOneParameter() throws {
        let layer = Linear(2, 1, bias: false, key: RandomKey(seed: 1))
        try layer.update(parameters: ["weight": Tensor([1, 2], shape: [1, 2])])
        let x = Tensor([3, 4], shape: [1, 2])
        let (a, b) = try AdversarialLoss.gradients(of: {
            let y = layer(x).sum()
            return (y * y, 3 * y)
        }, withRespectTo: "weight", in: layer)
        XCTAssertEqual(try a.toArray() as [Float], [66, 88])
        XCTAssertEqual(try b.toArray() as [Float], [9, 12])
        XCTAssertEqual(try layer.weight.toArray() as [Float], [1, 2], "the parameter is put back")
    }

    func testSettingsNameBadValues() {
        var c = TrainingConfig.VAELoss()
        c.discriminatorFactor = 0
        XCTAssertThrowsError(try AdversarialSettings(config: c)) { XCTAssertTrue("\($0)".contains("vae_loss.discriminator_factor"), "\($0)") }
        c = .init()
        c.lecamLossWeight = 0.001
        XCTAssertThrowsError(try AdversarialSettings(config: c)) { XCTAssertTrue("\($0)".contains("vae_loss.lecam_loss_weight"), "\($0)") }
        c = .init()
        c.gradientPenaltyLossWeight = 10
        XCTAssertThrowsError(try AdversarialSettings(config: c)) {
            XCTAssertTrue("\($0)".contains("vae_loss.gradient_penalty_loss_weight"), "\($0)")
        }
        c.gradientPenaltyLossWeight = 0
        XCTAssertNoThrow(try AdversarialSettings(config: c))
    }
}
