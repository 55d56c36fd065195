import Foundation
import MLXTensor
import NN
import OpenSora
@testable import OpenSoraTraining
import XCTest

/// Whole runs through the shared loop: the stage-1 loss falls, a resumed run equals an uninterrupted one, and the
/// checkpoint folder loads as a video VAE.
final class VAETrainerRunTests: XCTestCase {
    /// The loss at fixed draws (step 0's noise), on a video clip and on its first frame (the identity term).
    func fixedLoss(_ trainer: VAETrainer, _ clip: Tensor) throws -> Double {
        let video = try trainer.stepLosses(of: clip, step: 0, micro: 0).total.item() as Float
        let image = try trainer.stepLosses(of: clip.keepingFirstFrames(1), step: 0, micro: 0).total.item() as Float
        return Double(video + image)
    }

    func testStageOneLossFalls() throws {
        let run = try TinyVAERun(videos: 3, images: 1)
        let trainer = try VAETrainer(config: try run.config(steps: 30, extra: ["optimizer.lr=3.0e-3", "vae_loss.mixed_strategy=null"]))
        let source = try trainer.batches(epoch: 0, from: 0)
        let clip = try XCTUnwrap(try source.next()).video
        source.stop()
        let before = try fixedLoss(trainer, clip)
        var losses = [Double]()
        let loop = TrainingLoop(task: trainer, options: .init(experiment: run.experiment("falls"), onStep: { losses.append($0.loss) }))
        let summary = try loop.run()
        let after = try fixedLoss(trainer, clip)
        print("stage-1 fixed-draw loss \(before) -> \(after); step losses \(losses.first ?? .nan) -> \(losses.last ?? .nan)")
        XCTAssertEqual(summary.completedSteps, 30)
        XCTAssertLessThan(after, 0.7 * before)
        XCTAssertLessThan(losses.suffix(4).reduce(0, +), 0.8 * losses.prefix(4).reduce(0, +))
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
            let a = try Safetensors.load((wholeFinal as NSString).appendingPathComponent(file.rawValue))
            let b = try Safetensors.load((resumedFinal as NSString).appendingPathComponent(file.rawValue))
            XCTAssertEqual(Set(a.tensors.keys), Set(b.tensors.keys), file.rawValue)
            for (name, t) in a.tensors {
                let u = try XCTUnwrap(b.tensors[name], name)
                XCTAssertEqual(t.shape, u.shape, name)
                XCTAssertEqual(try t.asType(.float32).toArray() as [Float], try u.asType(.float32).toArray() as [Float], "\(file.rawValue) \(name)")
            }
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
