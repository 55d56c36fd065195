import MLXTensor
import NN
import OpenSora
import XCTest

/// The cal_loss forward against the inference path (which matches the vae_pipeline fixtures):
/// the same noise must give the same latents before normalisation and the same reconstruction.
final class VideoVAETrainingForwardTests: XCTestCase {
    func noise(_ shape: [Int], seed: UInt64) -> Tensor { Tensor.normal(shape, key: RandomKey(seed: seed)) }

    func testChunkedForwardAgreesWithEncodeAndDecode() throws {
        let vae = try VideoVAE(.tiny, key: RandomKey(seed: 5))  // micro_frame_size 17, released shift/scale
        let frames = 33
        let x = Tensor.uniform([1, 3, frames, 16, 16], low: -1, high: 1, key: RandomKey(seed: 6))
        let ns = noise([1, 4, frames, 2, 2], seed: 7), nt = noise([1, 4, 9, 2, 2], seed: 8)
        let out = try vae.trainingForward(x, spatialNoise: ns, temporalNoise: nt)
        XCTAssertEqual(out.z.shape, [1, 4, 9, 2, 2])
        XCTAssertEqual(out.posterior.mean.shape, [1, 4, 4, 2, 2])  // the last (16-frame) chunk only
        XCTAssertEqual(out.spatialLatents.shape, [1, 4, frames, 2, 2])
        XCTAssertEqual(out.latentReconstruction.shape, [1, 4, frames, 2, 2])
        XCTAssertEqual(out.reconstruction.shape, [1, 3, frames, 16, 16])

        let shift = Tensor([-0.10, 0.34, 0.27, 0.98], shape: [1, 4, 1, 1, 1]), scale = Tensor([3.85, 2.32, 2.33, 3.06], shape: [1, 4, 1, 1, 1])
        let normalised = try vae.encode(x, spatialNoise: ns, temporalNoise: nt)
        XCTAssertLessThan(try ((out.z - shift) / scale - normalised).abs().max().item(), 1e-5)
        let decoded = try vae.decode(normalised, numFrames: frames)
        XCTAssertLessThan(try (out.reconstruction - decoded).abs().max().item(), 1e-4)
        // The last chunk's posterior is the temporal encoding of frames 17..<33 alone.
        let lastClip = vae.temporal.encode(out.spatialLatents[.all, .all, 17..<33])
        XCTAssertLessThan(try (out.posterior.logvar - lastClip.logvar).abs().max().item(), 1e-6)
    }

    func testSpatialLatentsAreTheScaledSpatialSample() throws {
        var config = VideoVAEConfig.tiny
        config.microFrameSize = nil
        let vae = try VideoVAE(config, key: RandomKey(seed: 9))
        let x = Tensor.uniform([2, 3, 5, 16, 8], low: -1, high: 1, key: RandomKey(seed: 10))
        let ns = noise([2, 4, 5, 2, 1], seed: 11)
        let out = try vae.trainingForward(x, spatialNoise: ns, temporalNoise: noise([2, 4, 2, 2, 1], seed: 12))
        let p = try vae.spatial.posterior(x)
        XCTAssertLessThan(try (out.spatialLatents - (p.mean + p.std * ns) * 0.18215).abs().max().item(), 1e-6)
        XCTAssertEqual(out.posterior.mean.shape, [2, 4, 2, 2, 1])
        XCTAssertEqual(out.latentReconstruction.shape, [2, 4, 5, 2, 1])
    }

    func testNoiseOfTheWrongShapeIsAnError() throws {
        let vae = try VideoVAE(.tiny, key: RandomKey(seed: 5))
        let x = Tensor.zeros([1, 3, 5, 16, 16])
        XCTAssertThrowsError(try vae.trainingForward(x, spatialNoise: Tensor.zeros([1, 4, 1, 2, 2]), temporalNoise: Tensor.zeros([1, 4, 2, 2, 2]))) {
            XCTAssertTrue("\($0)".contains("spatial noise has shape [1, 4, 1, 2, 2]; expected [1, 4, 5, 2, 2]"), "\($0)")
        }
        XCTAssertThrowsError(try vae.trainingForward(x, spatialNoise: Tensor.zeros([1, 4, 5, 2, 2]), temporalNoise: Tensor.zeros([1, 4, 5, 2, 2]))) {
            XCTAssertTrue("\($0)".contains("expected [1, 4, 2, 2, 2]"), "\($0)")
        }
        XCTAssertThrowsError(try vae.trainingDecode(Tensor.zeros([1, 4, 6, 2, 2]), numFrames: 5)) {
            XCTAssertTrue("\($0)".contains("6 latent frames"), "\($0)")
        }
    }
}
