import MLXTensor
import NN
import OpenSora
@testable import OpenSoraTraining
import XCTest

/// freeze_vae_2d decides which parameters the step trains: stage 1 only the temporal VAE's, stage 3 all.
final class VAETrainingGradientTests: XCTestCase {
    func gradients(_ stage: VAETrainingStage, frames: Int) throws -> (VideoVAE, [String: Tensor]) {
        var config = VideoVAEConfig.tiny
        config.microFrameSize = nil
        let vae = try VideoVAE(config, key: RandomKey(seed: 21))
        stage.configure(vae)
        vae.train()
        let x = Tensor.uniform([1, 3, frames, 16, 16], low: -1, high: 1, key: RandomKey(seed: 22))
        let ns = Tensor.normal([1, 4, frames, 2, 2], key: RandomKey(seed: 23))
        let nt = Tensor.normal([1, 4, vae.latentFrames(frames), 2, 2], key: RandomKey(seed: 24))
        let loss = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0, klLossWeight: 1e-6))
        let (value, grads) = try vae.valueAndGrad {
            try stage.stepLosses(x, try vae.trainingForward(x, spatialNoise: ns, temporalNoise: nt), loss: loss).total
        }
        XCTAssertGreaterThan(try value.item(), 0)
        return (vae, grads)
    }

    func assertEveryGradientIsNonZero(_ grads: [String: Tensor], file: StaticString = #filePath, line: UInt = #line) throws {
        for (name, g) in grads.sorted(by: { $0.key < $1.key }) {
            XCTAssertGreaterThan(try g.abs().max().item(), 0, "no gradient reaches \(name)", file: file, line: line)
        }
    }

    func testStageOneTrainsTheTemporalVAEOnly() throws {
        let (vae, grads) = try gradients(.stage1, frames: 1)  // an image step: z rec + identity
        let temporal = Set(vae.namedParameters().map(\.0).filter { $0.hasPrefix("temporal_vae.") })
        XCTAssertFalse(temporal.isEmpty)
        XCTAssertEqual(Set(grads.keys), temporal)
        try assertEveryGradientIsNonZero(grads)
    }

    func testStageThreeTrainsEverything() throws {
        let (vae, grads) = try gradients(.stage3, frames: 5)
        let all = Set(vae.namedParameters().map(\.0)).subtracting(vae.bufferPaths())
        XCTAssertEqual(Set(grads.keys), all)
        XCTAssertTrue(all.contains("spatial_vae.module.encoder.conv_in.weight"))
        XCTAssertTrue(all.contains("spatial_vae.module.decoder.conv_out.bias"))
        try assertEveryGradientIsNonZero(grads)
    }
}
