import MLXTensor
import NN
@testable import OpenSora
import XCTest

/// `gradientCheckpointing` on the video VAE's training forward (spatial down/mid/up blocks, temporal
/// residual levels and blocks recomputed in the backward pass): same loss and gradients as without.
final class VideoVAERecomputationTests: XCTestCase {
    func gradients(checkpointing: Bool) throws -> (Float, [String: Tensor]) {
        let vae = try VideoVAE(.tiny, key: RandomKey(seed: 21))
        vae.gradientCheckpointing = checkpointing
        XCTAssertEqual(vae.gradientCheckpointing, checkpointing)
        vae.train()
        let frames = 5
        let x = Tensor.uniform([1, 3, frames, 16, 16], low: -1, high: 1, key: RandomKey(seed: 22))
        let ns = Tensor.normal([1, 4, frames, 2, 2], key: RandomKey(seed: 23))
        let nt = Tensor.normal([1, 4, vae.latentFrames(frames), 2, 2], key: RandomKey(seed: 24))
        let (loss, grads) = try vae.valueAndGrad {
            let out = try vae.trainingForward(x, spatialNoise: ns, temporalNoise: nt)
            return (out.reconstruction - x).abs().mean() + (out.latentReconstruction - out.spatialLatents).square().mean()
                + 1e-3 * out.posterior.kl().mean()
        }
        XCTAssertEqual(Set(grads.keys), Set(vae.trainableParameters().map(\.0)))
        return (try loss.item(), grads)
    }

    func testSameLossAndGradientsForEveryParameter() throws {
        let (plainLoss, plain) = try gradients(checkpointing: false)
        let (loss, recomputed) = try gradients(checkpointing: true)
        XCTAssertEqual(loss, plainLoss, accuracy: 1e-6 * abs(plainLoss))
        XCTAssertTrue(plain.keys.contains("spatial_vae.module.encoder.down_blocks.0.resnets.0.conv1.weight"))
        XCTAssertTrue(plain.keys.contains("temporal_vae.decoder.res_blocks.0.conv1.conv.weight"))
        XCTAssertEqual(Set(recomputed.keys), Set(plain.keys))
        for (name, want) in plain.sorted(by: { $0.key < $1.key }) {
            let got = try XCTUnwrap(recomputed[name])
            let scale = try want.abs().max().item()
            XCTAssertLessThanOrEqual(try (got - want).abs().max().item(), 1e-5 * max(scale, 1e-12), name)
        }
    }
}
