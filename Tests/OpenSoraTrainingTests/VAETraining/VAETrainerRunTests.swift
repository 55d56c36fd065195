import Foundation
import MLXTensor
import NN
import OpenSora
@testable import OpenSoraTraining
import XCTest

/// Whole runs through the shared loop: the stage-1 loss falls, a resumed run equals an uninterrupted one, and the
/// checkpoint folder loads as a video VAE.
final class VAETrainerRunTests: XCTestCase {
    /// The loss of `clip` at fixed draws (step 0's posterior noise).
    func fixedLoss(_ trainer: VAETrainer, _ clip: Tensor) throws -> Double {
        Double(try trainer.stepLosses(of: clip, step: 0, micro: 0).total.item() as Float)
    }

    func testStageOneLossFalls() throws {
        let run = try TinyVAERun(videos: 3, images: 1)
        // Whole clips only (mixed lengths off), so the fixed evaluation measures what the steps train.
        let trainer = try VAETrainer(config: try run.config(steps: 16, extra: ["optimizer.lr=3.0e-3", "vae_loss.mixed_strategy=null",
                                                                                "num_workers=1"]))
        let source = try trainer.batches(epoch: 0, from: 0)
        let clip = try XCTUnwrap(try source.next()).video
        source.stop()
        let before = try fixedLoss(trainer, clip)
        var losses = [Double]()
        let loop = TrainingLoop(task: trainer, options: .init(experiment: run.experiment("falls"), onStep: { losses.append($0.loss) }))
        let summary = try loop.run()
        let after = try fixedLoss(trainer, clip)
        print("stage-1 fixed-draw loss \(before) -> \(after); step losses \(losses.first ?? .nan) -> \(losses.last ?? .nan)")
        XCTAssertEqual(summary.completedSteps, 16)
        XCTAssertLessThan(after, 0.85 * before)
        XCTAssertLessThan(losses.suffix(4).reduce(0, +), 0.9 * losses.prefix(4).reduce(0, +))
    }

    /// 2 steps, resume, 3 steps == 5 steps: every tensor of the weights and the optimizer, byte for byte (across an
    /// epoch boundary: 4 rows, batch size 2, mixed lengths and posterior noise from the run keys).
    func testResumeEqualsAnUninterruptedRun() throws {
        let run = try TinyVAERun(videos: 3, images: 1)
        let whole = try TrainingLoop(task: try VAETrainer(config: try run.config(steps: 5, extra: ["ckpt_every=2"])),
                                     options: .init(experiment: run.experiment("whole"))).run()
        let wholeFinal = try XCTUnwrap(whole.lastCheckpoint)
        let atTwo = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: whole.experiment)
            .first { $0.hasSuffix("global_step2") })
        let resumed = try TrainingLoop(task: try VAETrainer(config: try run.config(steps: 5, extra: ["ckpt_every=2"])),
                                       options: .init(experiment: run.experiment("resumed"),
                                                      resume: (whole.experiment as NSString).appendingPathComponent(atTwo))).run()
        XCTAssertEqual(resumed.completedSteps, 5)
        let resumedFinal = try XCTUnwrap(resumed.lastCheckpoint)
        XCTAssertEqual((wholeFinal as NSString).lastPathComponent, (resumedFinal as NSString).lastPathComponent)
        for file in [TrainingCheckpoint.File.model, .optimizer] {
            try TensorFiles.assertBitwiseEqual((wholeFinal as NSString).appendingPathComponent(file.rawValue),
                                               (resumedFinal as NSString).appendingPathComponent(file.rawValue))
        }
        XCTAssertNil(FileManager.default.contents(atPath: (wholeFinal as NSString).appendingPathComponent(TrainingCheckpoint.File.ema.rawValue)))

        // The folder is a video VAE: config.json (17-frame clips, as inference runs) + model.safetensors.
        let vae = try ModelBundle.videoVAE(at: wholeFinal)
        XCTAssertEqual(vae.config.microFrameSize, 17)
        XCTAssertEqual(vae.config.spatial, SpatialVAEConfig.tiny)
        let saved = try Safetensors.load((wholeFinal as NSString).appendingPathComponent(TrainingCheckpoint.File.model.rawValue))
        let name = "temporal_vae.decoder.conv_out.conv.bias"
        XCTAssertEqual(try vae.namedParameters().first { $0.0 == name }!.1.toArray() as [Float],
                       try XCTUnwrap(saved.tensors[name]).toArray() as [Float])
    }
}
