import Foundation
import MLXTensor
import NN
import OpenSora
@testable import OpenSoraTraining
import XCTest

/// train-vae with a discriminator: bit-exact resume including the discriminator and its optimizer, the GAN terms in
/// the log (zero before `discriminator_start`), BatchNorm statistics moved once per real pass; and the terms of a plain run.
final class VAEDiscriminatorRunTests: XCTestCase {
    static let discriminator = ["discriminator={type: NLayerDiscriminator, ndf: 8, n_layers: 2}", "vae_loss.discriminator_start=1",
                                "ckpt_every=2"]

    func entries(_ experiment: String) throws -> [TrainingLogEntry] {
        let text = try String(contentsOfFile: (experiment as NSString).appendingPathComponent("log.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(TrainingLogEntry.self, from: Data($0.utf8)) }
    }

    /// 2 steps, resume, 3 steps == 5 steps: every tensor of the VAE, its optimizer, the discriminator (with its
    /// BatchNorm buffers) and the discriminator's optimizer, byte for byte.
    func testResumeWithADiscriminatorEqualsAnUninterruptedRun() throws {
        let run = try TinyVAERun(videos: 3, images: 1)
        let config = try run.config(steps: 5, extra: Self.discriminator)
        XCTAssertEqual(config.discriminator?.ndf, 8)
        let whole = try TrainingLoop(task: try VAETrainer(config: config), options: .init(experiment: run.experiment("whole"))).run()
        let wholeFinal = try XCTUnwrap(whole.lastCheckpoint)
        let atTwo = (whole.experiment as NSString).appendingPathComponent("epoch0-global_step2")
        let resumed = try TrainingLoop(task: try VAETrainer(config: config),
                                       options: .init(experiment: run.experiment("resumed"), resume: atTwo)).run()
        let resumedFinal = try XCTUnwrap(resumed.lastCheckpoint)
        XCTAssertEqual((wholeFinal as NSString).lastPathComponent, (resumedFinal as NSString).lastPathComponent)
        for file in [TrainingCheckpoint.File.model, .optimizer, .discriminator, .discriminatorOptimizer] {
            try TensorFiles.assertBitwiseEqual((wholeFinal as NSString).appendingPathComponent(file.rawValue),
                                               (resumedFinal as NSString).appendingPathComponent(file.rawValue))
        }

        let saved = try Safetensors.load((wholeFinal as NSString).appendingPathComponent(TrainingCheckpoint.File.discriminator.rawValue))
        XCTAssertEqual(saved.tensors["main.0.weight"]?.shape, [8, 3, 4, 4], "PyTorch layout")
        // Three BatchNorm passes a step (the generator's D(x̂), then D(x) and D(x̂) in the discriminator step); the
        // adaptive weight's recomputations move nothing.
        let tracked = try XCTUnwrap(saved.tensors["main.3.num_batches_tracked"])
        XCTAssertEqual(tracked.dtype, .int64)
        XCTAssertEqual(try tracked.asType(.float32).item() as Float, 15)
        XCTAssertNotEqual(try XCTUnwrap(saved.tensors["main.3.running_mean"]).toArray() as [Float], [Float](repeating: 0, count: 16))

        let log = try entries(whole.experiment)
        XCTAssertEqual(log.count, 5)
        for entry in log {
            let terms = try XCTUnwrap(entry.terms, "step \(entry.step)")
            XCTAssertTrue(Set(terms.keys).isSuperset(of: ["nll_loss", "kl_loss", "z_nll_loss", "adversarial_loss", "disc_loss"]), "\(terms)")
        }
        print("GAN terms per step:", log.map { ($0.terms!["adversarial_loss"]!, $0.terms!["disc_loss"]!) })
        // discriminator_start 1: step 0 (the first line) has both GAN terms at 0, the later ones do not.
        XCTAssertEqual(log[0].terms?["adversarial_loss"], 0)
        XCTAssertEqual(log[0].terms?["disc_loss"], 0)
        XCTAssertTrue(log.dropFirst().allSatisfy { $0.terms!["disc_loss"]! > 0 && $0.terms!["adversarial_loss"]! != 0 })
        XCTAssertEqual(try entries(resumed.experiment).map(\.terms), Array(log.suffix(3).map(\.terms)))
    }

    /// Without a discriminator the terms are the reference's log_dict (image_identity_loss on single-frame steps) and
    /// the checkpoint has no discriminator files.
    func testAPlainRunLogsItsTerms() throws {
        let run = try TinyVAERun(videos: 1, images: 1)
        let summary = try TrainingLoop(task: try VAETrainer(config: try run.config(steps: 2)),
                                       options: .init(experiment: run.experiment("plain"))).run()
        for entry in try entries(summary.experiment) {
            let keys = Set(try XCTUnwrap(entry.terms).keys)
            XCTAssertTrue(keys == ["nll_loss", "kl_loss", "z_nll_loss"] || keys == ["nll_loss", "kl_loss", "z_nll_loss", "image_identity_loss"],
                          "\(keys)")
        }
        let folder = try XCTUnwrap(summary.lastCheckpoint)
        XCTAssertNil(FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(TrainingCheckpoint.File.discriminator.rawValue)))
    }

    /// The trainer's adversarial term equals d_weight · g with d_weight = ‖∇nll‖ / (‖∇g‖ + 1e-4) · 0.5 taken here
    /// from whole-model gradients at `temporal_vae.decoder.conv_out.conv.weight` (the trainer traces only that weight).
    func testAdaptiveWeightComesFromTheLastDecoderLayer() throws {
        let run = try TinyVAERun(videos: 2, images: 0)
        let trainer = try VAETrainer(config: try run.config(extra: ["discriminator={ndf: 8, n_layers: 2}", "vae_loss.mixed_strategy=null"]))
        let source = try trainer.batches(epoch: 0, from: 0)
        let clip = try XCTUnwrap(try source.next()).video
        source.stop()
        let vae = trainer.vae, d = try XCTUnwrap(trainer.adversarial).discriminator
        let x = clip.asType(.float32)
        let noise = trainer.keys.key(step: 0, micro: 0, .vaePosterior).split(into: 2)
        let spatial = vae.config.spatial, frames = x.dim(2)
        let (b, h, w) = (x.dim(0), spatial.latentSide(x.dim(3)), spatial.latentSide(x.dim(4)))
        let spatialNoise = Tensor.normal([b, spatial.latentChannels, frames, h, w], key: noise[0])
        let temporalNoise = Tensor.normal([b, vae.latentChannels, vae.latentFrames(frames), h, w], key: noise[1])
        func output() throws -> VideoVAETrainingOutput { try vae.trainingForward(x, spatialNoise: spatialNoise, temporalNoise: temporalNoise) }
        func generator() throws -> Tensor {
            let o = try output()
            return d.withoutUpdatingStatistics { AdversarialLoss.generatorLoss(d(VAEAdversarialTraining.frames(o.reconstruction)), type: .hinge) }
        }
        let path = VAEAdversarialTraining.lastLayerPath
        let nllGrad = try XCTUnwrap(try vae.valueAndGrad { let o = try output(); return try trainer.loss(x, o.reconstruction, posterior: o.posterior).nll }
            .grads[path])
        let (g, gGrads) = try vae.valueAndGrad { try generator() }
        func norm(_ t: Tensor) throws -> Double { Double(try t.square().sum().sqrt().item() as Float) }
        let weight = try norm(nllGrad) / (try norm(try XCTUnwrap(gGrads[path])) + 1e-4) * 0.5
        let expected = weight * Double(try g.item() as Float)
        let got = Double(try XCTUnwrap(try trainer.stepLosses(of: clip, step: 0, micro: 0).adversarial).item() as Float)
        print("adaptive weight \(weight), adversarial term \(got) (expected \(expected))")
        XCTAssertEqual(got, expected, accuracy: 1e-4 * abs(expected))
        XCTAssertNotEqual(got, 0)
    }

    func testDiscriminatorConfigErrorsNameTheKey() throws {
        let run = try TinyVAERun(videos: 1, images: 0)
        func refused(_ extra: [String], _ mention: String, line: UInt = #line) {
            XCTAssertThrowsError(try VAETrainer(config: try run.config(extra: extra)), line: line) {
                XCTAssertTrue("\($0)".contains(mention), "\($0)", line: line)
            }
        }
        refused(["discriminator={type: DISCRIMINATOR_3D}"], "discriminator.type")
        refused(["discriminator={n_layers: 0}"], "discriminator.n_layers")
        refused(["discriminator={from_pretrained: d.pt}"], "discriminator.from_pretrained")
        refused(["discriminator={}", "vae_loss.lecam_loss_weight=0.001"], "vae_loss.lecam_loss_weight")
        refused(["discriminator={}", "vae_loss.generator_loss_type=vanilla"], "vae_loss.generator_loss_type")
        refused(["discriminator={}", "grad_accumulation_steps=2"], "grad_accumulation_steps")
        refused(["discriminator_start=2000"], "vae_loss.discriminator_start")
    }
}
