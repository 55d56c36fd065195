import Foundation
import MLXTensor
@testable import OpenSoraTraining
import XCTest

final class DiffusionTrainerOptionsTests: XCTestCase {
    /// freeze_y_embedder leaves the caption projection out of the optimizer; only_train_temporal keeps only the
    /// temporal blocks; a frozen tensor is bitwise unchanged after training.
    func testFrozenPartsAreNotTrained() throws {
        let run = try TinyDiffusionRun(images: 2)
        var frozenConfig = try run.config()
        frozenConfig.model.freezeYEmbedder = true
        let frozen = try DiffusionTrainer(config: frozenConfig, warn: { _ in })
        XCTAssertFalse(frozen.optimizer.trainablePaths.contains { $0.hasPrefix("y_embedder.") })
        XCTAssertTrue(frozen.optimizer.trainablePaths.contains { $0.hasPrefix("spatial_blocks.") })
        var temporalConfig = try run.config(steps: 1)
        temporalConfig.model.onlyTrainTemporal = true
        let temporal = try DiffusionTrainer(config: temporalConfig, warn: { _ in })
        XCTAssertFalse(temporal.optimizer.trainablePaths.isEmpty)
        XCTAssertTrue(temporal.optimizer.trainablePaths.allSatisfy { $0.hasPrefix("temporal_blocks.") }, "\(temporal.optimizer.trainablePaths)")
        let before = try temporal.models.denoiser.stateDict()["spatial_blocks.0.attn.qkv.weight"]!.toArray() as [Float]
        // The attention's output projection: it starts at zero (identity blocks), so it is the first to move.
        let beforeTemporal = try temporal.models.denoiser.stateDict()["temporal_blocks.0.attn.proj.weight"]!.toArray() as [Float]
        _ = try TrainingLoop(task: temporal, options: .init(experiment: run.experiment("t"))).run()
        XCTAssertEqual(try temporal.models.denoiser.stateDict()["spatial_blocks.0.attn.qkv.weight"]!.toArray() as [Float], before)
        XCTAssertNotEqual(try temporal.models.denoiser.stateDict()["temporal_blocks.0.attn.proj.weight"]!.toArray() as [Float], beforeTemporal)
    }

    /// A run from scratch starts from the reference's `initialize_weights`, not the constructors' draws: every temporal
    /// block an identity (attention, cross-attention and MLP outputs zero), every linear bias zero.
    func testAFromScratchRunStartsFromTheReferenceInitialisation() throws {
        let run = try TinyDiffusionRun(images: 1)
        let weights = try DiffusionModels(config: try run.config()).denoiser.stateDict()
        func maxAbs(_ name: String) throws -> Float { try XCTUnwrap(weights[name], name).abs().max().item() }
        for name in ["temporal_blocks.0.attn.proj.weight", "temporal_blocks.0.cross_attn.proj.weight", "temporal_blocks.0.mlp.fc2.weight",
                     "spatial_blocks.0.attn.qkv.bias", "spatial_blocks.0.cross_attn.proj.bias", "y_embedder.y_proj.fc1.bias",
                     "fps_embedder.mlp.2.weight"] {
            XCTAssertEqual(try maxAbs(name), 0, name)
        }
        // Xavier-uniform bound √(6 / (fan_in + fan_out)) on a spatial projection, which stays non-zero.
        let proj = try XCTUnwrap(weights["spatial_blocks.0.attn.proj.weight"])
        let bound = (6 / Float(proj.dim(0) + proj.dim(1))).squareRoot()
        XCTAssertLessThanOrEqual(try maxAbs("spatial_blocks.0.attn.proj.weight"), bound)
        XCTAssertGreaterThan(try maxAbs("spatial_blocks.0.attn.proj.weight"), 0.9 * bound)
    }

    /// `model.patch_size` reaches STDiT3: a 1×1×1 patch embeds each latent pixel (a kernel of one voxel) and the final
    /// layer predicts one voxel per token.
    func testThePatchSizeKeyBuildsThatPatching() throws {
        let run = try TinyDiffusionRun(images: 1)
        var config = try run.config()
        config.model.patchSize = [1, 1, 1]
        let denoiser = try DiffusionModels(config: config).denoiser
        XCTAssertEqual(denoiser.config.patchSize, [1, 1, 1])
        let weights = denoiser.stateDict()
        XCTAssertEqual(weights["x_embedder.proj.weight"]?.shape.suffix(3), [1, 1, 1])
        XCTAssertEqual(weights["final_layer.linear.weight"]?.dim(0), denoiser.config.outChannels)
    }

    /// bf16 parameters: the model computes in bfloat16 while the masters, moments and checkpoint stay float32.
    func testBFloat16ParametersKeepFloat32Masters() throws {
        let run = try TinyDiffusionRun(images: 2)
        var config = try run.config(steps: 2)
        config.dtype = .bf16
        let trainer = try DiffusionTrainer(config: config, warn: { _ in })
        XCTAssertTrue(trainer.models.denoiser.namedParameters().allSatisfy { $0.1.dtype == .bfloat16 })
        let summary = try TrainingLoop(task: trainer, options: .init(experiment: run.experiment("bf16"))).run()
        let model = try Safetensors.load(try XCTUnwrap(summary.lastCheckpoint) + "/model.safetensors").tensors
        XCTAssertTrue(model.values.allSatisfy { $0.dtype == .float32 })
        let name = "final_layer.linear.weight"
        let master: [Float] = try model[name]!.toArray()
        let working: [Float] = try trainer.models.denoiser.stateDict()[name]!.asType(.float32).toArray()
        XCTAssertEqual(working, try Tensor(master).asType(.bfloat16).asType(.float32).toArray() as [Float], "the module is the master rounded")
        XCTAssertTrue(try TrainingLog.read(run.experiment("bf16") + "/log.jsonl").allSatisfy { $0.loss.isFinite })
    }

    /// eval_every runs the evaluation loss into the same log line as the step.
    func testEvaluationRunsIntoTheLog() throws {
        let run = try TinyDiffusionRun(images: 2)
        let config = try run.config(steps: 2, extra: "eval_every: 2\nnum_eval_timesteps: 2")
        _ = try TrainingLoop(task: try DiffusionTrainer(config: config, warn: { _ in }), options: .init(experiment: run.experiment("e"))).run()
        let log = try TrainingLog.read(run.experiment("e") + "/log.jsonl")
        XCTAssertNil(log[0].evalLosses)
        let eval = try XCTUnwrap(log[1].evalLosses)
        XCTAssertEqual(Array(eval.keys), ["144p/1"])
        XCTAssertTrue(eval["144p/1"]!.isFinite && eval["144p/1"]! > 0)
    }

    /// A config for the other trainer, or a VAE model type, is refused with a message naming it.
    func testWrongTrainerIsRefused() throws {
        let run = try TinyDiffusionRun(images: 1)
        var config = try run.config()
        config.trainer = .vae
        XCTAssertThrowsError(try DiffusionTrainer(config: config)) { XCTAssertTrue("\($0)".contains("'vae'"), "\($0)") }
        config.trainer = .diffusion
        config.model.type = .videoAutoencoderPipeline
        XCTAssertThrowsError(try DiffusionTrainer(config: config)) { XCTAssertTrue("\($0)".contains("VideoAutoencoderPipeline"), "\($0)") }
    }
}

final class TrainedVAEInDiffusionTests: XCTestCase {
    /// A train-vae checkpoint is the diffusion trainer's frozen VAE (vae.from_pretrained), weights unchanged: the two
    /// trainers chain as the default-model recipe needs.
    func testATrainVAECheckpointIsTheFrozenVAE() throws {
        let vaeRun = try TinyVAERun()
        let vaeTrainer = try VAETrainer(config: try vaeRun.config(steps: 1), warn: { _ in })
        let folder = try XCTUnwrap(try TrainingLoop(task: vaeTrainer, options: .init(experiment: vaeRun.clips.file("vae"))).run().lastCheckpoint)
        let run = try TinyDiffusionRun(images: 1)
        var config = try run.config()
        config.vae?.fromPretrained = folder
        let models = try DiffusionModels(config: config)
        let trained = vaeTrainer.vae.stateDict()
        for (name, t) in try XCTUnwrap(models.vae).stateDict() {
            XCTAssertEqual(try t.toArray() as [Float], try XCTUnwrap(trained[name]).toArray() as [Float], name)
        }
        XCTAssertEqual(models.vae?.config.microFrameSize, 17)
    }
}

final class GradientCheckpointingRunTests: XCTestCase {
    /// grad_checkpoint recomputes activations without changing the training: the same losses and weights after two
    /// steps (to float rounding), with frame masks and caption dropout in play.
    func testCheckpointedRunMatchesThePlainRun() throws {
        let run = try TinyDiffusionRun(videos: 2, frames: 20)
        func train(_ on: Bool) throws -> (losses: [Double], weights: [String: Tensor]) {
            var config = try run.config(buckets: #"{"144p": {17: [1.0, 2]}}"#, steps: 2, extra: "mask_ratios: {random: 0.5}")
            config.gradCheckpoint = on
            let trainer = try DiffusionTrainer(config: config, warn: { _ in })
            XCTAssertEqual(trainer.models.denoiser.gradientCheckpointing, on)
            var losses = [Double]()
            _ = try TrainingLoop(task: trainer, options: .init(experiment: run.experiment("gc-\(on)"), onStep: { losses.append($0.loss) })).run()
            return (losses, trainer.optimizer.master)
        }
        let plain = try train(false), checkpointed = try train(true)
        for (a, b) in zip(plain.losses, checkpointed.losses) { XCTAssertEqual(a, b, accuracy: 1e-5 * abs(a)) }
        for (name, t) in plain.weights {
            let d = try (t - checkpointed.weights[name]!).abs().max().item() as Float
            XCTAssertLessThan(d, 1e-5, name)
        }
    }
}

final class EmptyBucketsTests: XCTestCase {
    /// Clips too short for every bucket (a video needs more frames than the count) stop the run at once with the reason.
    func testNoSampleFittingTheBucketsIsAnError() throws {
        let run = try TinyDiffusionRun(videos: 2, frames: 17)
        let trainer = try DiffusionTrainer(config: try run.config(buckets: #"{"144p": {17: [1.0, 1]}}"#), warn: { _ in })
        XCTAssertThrowsError(try TrainingLoop(task: trainer, options: .init(experiment: run.experiment("e"))).run()) { error in
            guard case TrainingError.noBatches(let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("epoch 0") && reason.contains("bucket_config"), reason)
        }
    }
}
