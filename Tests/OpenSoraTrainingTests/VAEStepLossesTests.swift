import MLXTensor
import OpenSora
@testable import OpenSoraTraining
import XCTest

/// train_vae.py's sum of terms on hand-built tensors: |x − x_rec| = 1, |x_z − x_z_rec| = 2, |x_z − z| = 3
/// everywhere, posterior mean 1 and logvar 0 (KL 0.5 per element).
final class VAEStepLossesTests: XCTestCase {
    let loss = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0, klLossWeight: 1e-6))

    func output(frames: Int) -> (Tensor, VideoVAETrainingOutput) {
        let x = Tensor.zeros([1, 3, frames, 8, 8])
        let moments = Tensor.concatenate([Tensor.ones([1, 4, 1, 1, 1]), Tensor.zeros([1, 4, 1, 1, 1])], axis: 1)
        let out = VideoVAETrainingOutput(
            reconstruction: Tensor.ones([1, 3, frames, 8, 8]), latentReconstruction: Tensor.full([1, 4, frames, 1, 1], value: 2),
            z: Tensor.full([1, 4, frames, 1, 1], value: 3), posterior: DiagonalGaussian(moments: moments, axis: 1),
            spatialLatents: Tensor.zeros([1, 4, frames, 1, 1]))
        return (x, out)
    }

    func testEachStageAddsItsTerms() throws {
        let (video, videoOut) = output(frames: 1)
        // Per frame: real 3·64·1 = 192; latent 4·2 = 8; identity 4·3 = 12; KL 1e-6 · 4·0.5 = 2e-6.
        let s1 = try VAETrainingStage.stage1.stepLosses(video, videoOut, loss: loss)
        XCTAssertEqual(try s1.nll.item(), 192, accuracy: 1e-4)
        XCTAssertEqual(try s1.kl.item(), 2e-6, accuracy: 1e-11)
        XCTAssertEqual(try s1.zNLL.item(), 8, accuracy: 1e-5)
        XCTAssertEqual(try XCTUnwrap(s1.imageIdentity).item(), 12, accuracy: 1e-5)
        XCTAssertEqual(try s1.total.item(), 20, accuracy: 1e-5)
        let s2 = try VAETrainingStage.stage2.stepLosses(video, videoOut, loss: loss)
        XCTAssertNil(s2.imageIdentity)
        XCTAssertEqual(try s2.total.item(), 8, accuracy: 1e-5)
        let s3 = try VAETrainingStage.stage3.stepLosses(video, videoOut, loss: loss)
        XCTAssertEqual(try s3.total.item(), 192 + 2e-6, accuracy: 1e-4)
        XCTAssertEqual(try VAETrainingStage().stepLosses(video, videoOut, loss: loss).total.item(), 0)
    }

    func testTheIdentityLossNeedsASingleFrameBatch() throws {
        let (video, out) = output(frames: 2)
        let s1 = try VAETrainingStage.stage1.stepLosses(video, out, loss: loss)
        XCTAssertNil(s1.imageIdentity)
        XCTAssertEqual(try s1.total.item(), 8, accuracy: 1e-5)
        var both = VAETrainingStage.stage3
        both.useZRecLoss = true
        XCTAssertEqual(try both.stepLosses(video, out, loss: loss).total.item(), 192 + 8 + 2e-6, accuracy: 1e-4)
    }

    func testEachLatentFrameEndsOnTheLastFrameItCovers() throws {
        let vae = try VideoVAE(.tiny, key: RandomKey(seed: 3))
        // Three zero frames go in front of 17 (spec/vae.md §4.1), none in front of 16.
        XCTAssertEqual(vae.keyframes(17), [0, 4, 8, 12, 16])
        XCTAssertEqual(vae.keyframes(16), [3, 7, 11, 15])
        XCTAssertEqual(vae.keyframes(1), [0])
        XCTAssertEqual(vae.keyframes(6), [1, 5])
    }

    func testTheKeyframeLossComparesEachLatentFrameWithTheFrameItEndsOn() throws {
        // x_z holds its frame index, z holds 0, 4, 8 exactly except for latent frame 1 (5 instead of 4): only that one
        // frame's 4 channels differ, by 1 each, so the per-frame L1 sum is 4 / 3 frames.
        let x = Tensor.zeros([1, 3, 9, 8, 8])
        let moments = Tensor.concatenate([Tensor.ones([1, 4, 1, 1, 1]), Tensor.zeros([1, 4, 1, 1, 1])], axis: 1)
        let frameIndex = Tensor((0..<9).map(Float.init)).reshaped([1, 1, 9, 1, 1]) * Tensor.ones([1, 4, 9, 1, 1])
        let z = Tensor([0, 5, 8].map { Float($0) }).reshaped([1, 1, 3, 1, 1]) * Tensor.ones([1, 4, 3, 1, 1])
        var out = VideoVAETrainingOutput(reconstruction: Tensor.zeros([1, 3, 9, 8, 8]), latentReconstruction: frameIndex, z: z,
                                         posterior: DiagonalGaussian(moments: moments, axis: 1), spatialLatents: frameIndex)
        out.keyframes = [0, 4, 8]
        var stage = VAETrainingStage.stage1
        XCTAssertNil(try stage.stepLosses(x, out, loss: loss).keyframeIdentity)
        stage.useKeyframeIdentityLoss = true
        let s = try stage.stepLosses(x, out, loss: loss)
        XCTAssertEqual(try XCTUnwrap(s.keyframeIdentity).item(), 4.0 / 3, accuracy: 1e-5)
        XCTAssertEqual(try s.total.item(), 4.0 / 3, accuracy: 1e-5)  // x_z_rec = x_z: no z reconstruction loss
        XCTAssertNil(s.imageIdentity)
        XCTAssertNotNil(s.named["keyframe_identity_loss"])
    }
}
