import MLXTensor
import OpenSora
@testable import OpenSoraTraining
import XCTest

final class VAETrainingStageTests: XCTestCase {
    func testPresetsCarryTheStageFilesFlags() {
        let flags = { (s: VAETrainingStage) in [s.useRealRecLoss, s.useZRecLoss, s.useImageIdentityLoss, s.freezeSpatialVAE] }
        XCTAssertEqual(flags(.stage1), [false, true, true, true])
        XCTAssertEqual(flags(.stage2), [false, true, false, false])
        XCTAssertEqual(flags(.stage3), [true, false, false, false])
        XCTAssertEqual([VAETrainingStage.stage1.numFrames, VAETrainingStage.stage2.numFrames, VAETrainingStage.stage3.numFrames], [17, 17, 33])
        XCTAssertEqual(VAETrainingStage.stage1.mixedStrategy, .videoImage)
        XCTAssertEqual(VAETrainingStage.stage2.mixedImageRatio, 0.2)
        XCTAssertEqual(VAETrainingStage.stage3.mixedStrategy, .videoRandom)
        for s in [VAETrainingStage.stage1, .stage2, .stage3] {
            XCTAssertEqual(s.lossConfig, VAELossConfig(logvarInit: 0, perceptualLossWeight: 0.1, klLossWeight: 1e-6))
        }
    }

    func testDecodesTheStageFileNamesAndRejectsUnknownStrategies() throws {
        let stage = try VAETrainingStage.decode([
            "use_real_rec_loss": true, "use_z_rec_loss": false, "use_image_identity_loss": false, "freeze_vae_2d": false,
            "mixed_strategy": "mixed_video_random", "mixed_image_ratio": NSNull(), "num_frames": 33, "kl_loss_weight": 1e-6,
        ])
        XCTAssertEqual(stage, .stage3)
        XCTAssertThrowsError(try VAETrainingStage.decode(["mixed_strategy": "mixed_video_sometimes"])) {
            XCTAssertTrue("\($0)".contains("VAETrainingStage"), "\($0)")
        }
        XCTAssertEqual(try VAELossConfig.decode(["perceptual_loss_weight": 0, "logvar_init": 0.5]),
                       VAELossConfig(logvarInit: 0.5, perceptualLossWeight: 0, klLossWeight: 1e-6))
    }

    func testConfigureFreezesOnlyTheSpatialVAE() throws {
        let vae = try VideoVAE(.tiny, key: RandomKey(seed: 3))
        VAETrainingStage.stage1.configure(vae)
        let frozen = vae.trainableParameters().map(\.0)
        XCTAssertFalse(frozen.isEmpty)
        XCTAssertTrue(frozen.allSatisfy { $0.hasPrefix("temporal_vae.") }, "\(frozen.filter { !$0.hasPrefix("temporal_vae.") })")
        VAETrainingStage.stage1.configure(vae)
        XCTAssertEqual(vae.frozenPrefixes, ["spatial_vae."])
        VAETrainingStage.stage3.configure(vae)
        let all = vae.trainableParameters().map(\.0)
        XCTAssertTrue(all.contains { $0.hasPrefix("spatial_vae.module.decoder.") })
        XCTAssertEqual(all.count, vae.namedParameters().count - vae.bufferPaths().count)
    }
}
