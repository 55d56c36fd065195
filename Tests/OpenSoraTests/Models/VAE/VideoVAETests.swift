import Foundation
import MLXTensor
import NN
@testable import OpenSora
import XCTest

final class VideoVAETests: XCTestCase {
    func testReleasedLayoutEqualsOfficialLayout() throws {
        XCTAssertEqual(try assertLayoutEqualsOfficial("vae-v1.2", officialNamePrefix: "OpenSoraVAE_V1_2").totalParameters, 393_341_007)
    }

    func testLatentSizesFollowTheSeventeenFrameClips() {
        let c = VideoVAEConfig.v1_2
        let table = [1: 1, 16: 4, 17: 5, 18: 6, 34: 10, 40: 12, 51: 15, 68: 20, 102: 30, 136: 40, 204: 60, 408: 120]
        for (frames, latent) in table { XCTAssertEqual(c.latentFrames(frames), latent, "\(frames) frames") }
        let size = c.latentSize(frames: 51, height: 480, width: 854)
        XCTAssertEqual([size.frames, size.height, size.width], [15, 60, 106])
        var whole = c
        whole.microFrameSize = nil
        XCTAssertEqual(whole.latentFrames(34), 9)
    }

    func testEncodeDecodeShapesForOddLengthsAndImages() throws {
        let vae = try VideoVAE(.tiny, key: RandomKey(seed: 1))
        for frames in [1, 18] {
            let x = Tensor.uniform([1, 3, frames, 16, 24], low: -1, high: 1, key: RandomKey(seed: UInt64(frames)))
            let z = try vae.encode(x, key: RandomKey(seed: 1))
            XCTAssertEqual(z.shape, [1, 4, vae.latentFrames(frames), 2, 3])
            XCTAssertEqual(try vae.decode(z, numFrames: frames).shape, [1, 3, frames, 16, 24])
        }
        // Sizes not divisible by 8 floor in the latent and decode to 8·floor(n/8).
        let odd = Tensor.zeros([1, 3, 1, 20, 13])
        let z = try vae.encode(odd, key: RandomKey(seed: 2))
        XCTAssertEqual(z.shape, [1, 4, 1, 2, 1])
        XCTAssertEqual(try vae.decode(z, numFrames: 1).shape, [1, 3, 1, 16, 8])
    }

    func testBadInputsAreClearErrors() throws {
        let vae = try VideoVAE(.tiny, key: RandomKey(seed: 1))
        XCTAssertThrowsError(try vae.encode(Tensor.zeros([1, 4, 2, 16, 16]), key: RandomKey(seed: 0))) {
            XCTAssertTrue("\($0)".contains("[1, 4, 2, 16, 16]"), "\($0)")
        }
        XCTAssertThrowsError(try vae.encode(Tensor.zeros([1, 3, 0, 16, 16]), key: RandomKey(seed: 0))) {
            XCTAssertTrue("\($0)".contains("0 frames"), "\($0)")
        }
        XCTAssertThrowsError(try vae.encode(Tensor.zeros([1, 3, 2, 4, 16]), key: RandomKey(seed: 0))) {
            XCTAssertTrue("\($0)".contains("4×16"), "\($0)")
        }
        XCTAssertThrowsError(try vae.decode(Tensor.zeros([1, 3, 2, 2, 2]), numFrames: 5)) {
            XCTAssertTrue("\($0)".contains("[1, 3, 2, 2, 2]"), "\($0)")
        }
        XCTAssertThrowsError(try vae.decode(Tensor.zeros([1, 4, 2, 2, 2]), numFrames: 0))
        var bad = VideoVAEConfig.tiny
        bad.shift = [0, 1]
        XCTAssertThrowsError(try VideoVAE(bad, key: RandomKey(seed: 1))) { XCTAssertTrue("\($0)".contains("shift")) }
    }

    func testStandaloneDiffusersWeightsLoadIntoTheSpatialPart() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = try VideoVAE(.tiny, key: RandomKey(seed: 1))
        try source.spatial.module.saveWeights(to: dir.appendingPathComponent("diffusion_pytorch_model.safetensors").path)
        let target = try VideoVAE(.tiny, key: RandomKey(seed: 2))
        XCTAssertTrue(try target.loadSpatialWeights(diffusersPath: dir.path).isClean)
        let x = Tensor.uniform([1, 3, 2, 16, 16], low: -1, high: 1, key: RandomKey(seed: 4))
        let a = try source.spatial.posterior(x).mean, b = try target.spatial.posterior(x).mean
        XCTAssertEqual(try maxAbsDifference(a, b), 0)
    }

    func testKLOfStandardNormalIsZero() throws {
        let p = DiagonalGaussian(moments: Tensor.zeros([2, 8, 3]), axis: 1)
        XCTAssertEqual(try p.kl().toArray(), [0, 0])
        let q = DiagonalGaussian(moments: Tensor.concatenate([Tensor.ones([1, 1, 1]), Tensor.zeros([1, 1, 1])], axis: 1), axis: 1)
        XCTAssertEqual(try q.kl().item(), 0.5, accuracy: 1e-6)  // 0.5·(1² + 1 − 1 − 0)
    }
}
