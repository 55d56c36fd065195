import MLXTensor
import NN
import OpenSora
@testable import OpenSoraTraining
import XCTest

/// Each preset stage, built by the trainer from its config, trains exactly its parameters: the optimizer's
/// trainable paths, and the step's gradients (nonzero only there; a frozen 2-D VAE gets none).
final class VAETrainerStageTests: XCTestCase {
    static let run = Result { try TinyVAERun(videos: 2, images: 1) }

    func trainer(_ preset: String, extra: [String] = []) throws -> VAETrainer {
        try VAETrainer(config: try Self.run.get().config(preset, extra: extra))
    }

    /// The gradients of one micro-batch of `frames` frames (mixed lengths off, so the frame count is the given one).
    func gradients(_ trainer: VAETrainer, frames: Int) throws -> [String: Tensor] {
        let x = Tensor.uniform([1, 3, frames, 16, 16], low: -1, high: 1, key: RandomKey(seed: 5))
        return try trainer.vae.valueAndGrad { try trainer.stepLosses(of: x, step: 0, micro: 0).total }.grads
    }

    func nonZero(_ grads: [String: Tensor]) throws -> Set<String> {
        Set(try grads.filter { try $0.value.abs().max().item() as Float > 0 }.keys)
    }

    func testStageOneTrainsOnlyTheTemporalVAE() throws {
        let trainer = try trainer("vae_stage1", extra: ["vae_loss.mixed_strategy=null"])
        let temporal = Set(trainer.vae.namedParameters().map(\.0).filter { $0.hasPrefix("temporal_vae.") })
        XCTAssertEqual(Set(trainer.optimizer.trainablePaths), temporal)
        let grads = try gradients(trainer, frames: 1)  // an image step: z reconstruction + identity
        XCTAssertEqual(Set(grads.keys), temporal)
        XCTAssertEqual(try nonZero(grads), temporal)
        XCTAssertTrue(try nonZero(try gradients(trainer, frames: 5)).isSubset(of: temporal))
    }

    /// Stage 2: everything trainable, but only the spatial encoder (through x_z) and the temporal VAE get gradient.
    func testStageTwoTrainsTheSpatialEncoderThroughTheLatents() throws {
        let trainer = try trainer("vae_stage2", extra: ["vae_loss.mixed_strategy=null"])
        let all = Set(trainer.vae.namedParameters().map(\.0)).subtracting(trainer.vae.bufferPaths())
        XCTAssertEqual(Set(trainer.optimizer.trainablePaths), all)
        let reached = try nonZero(try gradients(trainer, frames: 5))
        XCTAssertTrue(reached.isSubset(of: all))
        XCTAssertTrue(reached.contains("spatial_vae.module.encoder.conv_in.weight"))
        XCTAssertTrue(reached.contains("temporal_vae.decoder.conv_out.conv.weight"))
        XCTAssertFalse(reached.contains { $0.hasPrefix("spatial_vae.module.decoder.") })
    }

    func testStageThreeTrainsEverything() throws {
        let trainer = try trainer("vae_stage3", extra: ["vae_loss.mixed_strategy=null"])
        let all = Set(trainer.vae.namedParameters().map(\.0)).subtracting(trainer.vae.bufferPaths())
        XCTAssertEqual(Set(trainer.optimizer.trainablePaths), all)
        XCTAssertEqual(try nonZero(try gradients(trainer, frames: 5)), all)
        XCTAssertTrue(trainer.initialization.contains("perceptual (LPIPS) term off"), trainer.initialization)
    }
}
