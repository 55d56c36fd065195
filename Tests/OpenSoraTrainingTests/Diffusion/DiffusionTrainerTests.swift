import Foundation
import MLXTensor
import OpenSora
@testable import OpenSoraTraining
import XCTest

final class DiffusionTrainerTests: XCTestCase {
    /// The loss falls clearly in 10 steps on moving squares (videos, frame masks on): the fixed-timestep
    /// evaluation loss after training is well below the one before.
    func testLossFallsOnMovingSquares() throws {
        let run = try TinyDiffusionRun(videos: 4, frames: 20)
        let config = try run.config(buckets: #"{"144p": {17: [1.0, 2]}}"#, steps: 10,
                                    extra: "mask_ratios: {random: 0.2, image_head: 0.2}\nnum_eval_timesteps: 3")
        let trainer = try DiffusionTrainer(config: config, warn: { _ in })
        let evaluation = try DiffusionEvaluation(config: config, dataset: dataset(config), models: trainer.models,
                                                 objective: trainer.objective, warn: { _ in })
        let before = try evaluation.run().entries[0].loss
        var losses = [Double]()
        _ = try TrainingLoop(task: trainer, options: .init(experiment: run.experiment("exp"), onStep: { losses.append($0.loss) })).run()
        let after = try evaluation.run().entries[0].loss
        XCTAssertEqual(losses.count, 10)
        XCTAssertLessThan(after, 0.8 * before, "eval loss before \(before), after \(after); step losses \(losses)")
    }

    /// N steps, a resume, then M steps equal N+M uninterrupted steps in every parameter, EMA tensor and Adam moment
    /// (with gradient accumulation and caption dropout in play).
    func testResumeIsBitwiseExact() throws {
        let run = try TinyDiffusionRun(images: 4)
        let extra = "grad_accumulation_steps: 2\nckpt_every: 2\nwarmup_steps: 3"
        let straight = try TrainingLoop(task: try DiffusionTrainer(config: try run.config(steps: 4, extra: extra), warn: { _ in }),
                                        options: .init(experiment: run.experiment("straight"))).run()
        _ = try TrainingLoop(task: try DiffusionTrainer(config: try run.config(steps: 2, extra: extra), warn: { _ in }),
                             options: .init(experiment: run.experiment("split"))).run()
        let resumed = try TrainingLoop(task: try DiffusionTrainer(config: try run.config(steps: 4, extra: extra), warn: { _ in }),
                                       options: .init(resume: run.experiment("split"))).run()
        XCTAssertEqual(straight.completedSteps, 4)
        XCTAssertEqual(resumed.completedSteps, 4)
        let a = try XCTUnwrap(straight.lastCheckpoint), b = try XCTUnwrap(resumed.lastCheckpoint)
        XCTAssertEqual((a as NSString).lastPathComponent, (b as NSString).lastPathComponent)
        for file in ["model.safetensors", "ema.safetensors", "optimizer.safetensors"] {
            try TensorFiles.assertBitwiseEqual((a as NSString).appendingPathComponent(file), (b as NSString).appendingPathComponent(file))
        }
        let log = try TrainingLog.read(run.experiment("split") + "/log.jsonl")
        XCTAssertEqual(log.map(\.step), [1, 2, 3, 4], "the resumed log continues without repeats")
        XCTAssertEqual(log.map(\.loss), try TrainingLog.read(run.experiment("straight") + "/log.jsonl").map(\.loss))
    }

    /// Missing and corrupt rows are skipped with a warning, counted and logged; training goes on with the rest.
    func testUnreadableRowsAreSkippedAndCounted() throws {
        let run = try TinyDiffusionRun(images: 3, extraRows: ["gone.png,a missing file,1,144,256", "bad.png,a corrupt file,1,144,256"])
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: run.clips.file("bad.png")))
        let warnings = Warnings()
        let trainer = try DiffusionTrainer(config: try run.config(buckets: #"{"144p": {1: [1.0, 1]}}"#, steps: 3), warn: warnings.add)
        let summary = try TrainingLoop(task: trainer, options: .init(experiment: run.experiment("exp"))).run()
        XCTAssertEqual(summary.completedSteps, 3)
        XCTAssertEqual(summary.skippedSamples, 2)
        XCTAssertEqual(warnings.all.filter { $0.contains("gone.png") }.count, 1, "\(warnings.all)")
        XCTAssertEqual(warnings.all.filter { $0.contains("bad.png") }.count, 1, "\(warnings.all)")
        XCTAssertEqual(try TrainingLog.read(run.experiment("exp") + "/log.jsonl").last?.skippedSamples, 2)
    }

    /// A dataset whose rows all fail is an error naming the failures, not a hang.
    func testEveryRowFailingIsAnError() throws {
        let run = try TinyDiffusionRun(extraRows: ["gone1.png,missing,1,144,256", "gone2.png,missing,1,144,256"])
        let trainer = try DiffusionTrainer(config: try run.config(buckets: #"{"144p": {1: [1.0, 1]}}"#), warn: { _ in })
        XCTAssertThrowsError(try TrainingLoop(task: trainer, options: .init(experiment: run.experiment("exp"))).run()) { error in
            guard case DatasetError.noReadableRows(let report) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(report.failedRows.count, 2)
        }
    }

    /// The evaluation loss equals the rectified-flow loss written out by hand for the same draws.
    func testEvaluationLossEqualsDirectComputation() throws {
        let run = try TinyDiffusionRun(images: 3)
        let config = try run.config(buckets: #"{"144p": {1: [1.0, 2]}}"#, extra: "num_eval_timesteps: 2")
        let trainer = try DiffusionTrainer(config: config, warn: { _ in })
        let data = try dataset(config)
        let evaluation = try DiffusionEvaluation(config: config, dataset: data, models: trainer.models, objective: trainer.objective,
                                                 warn: { _ in })
        XCTAssertEqual(evaluation.timesteps, [334, 668], "1000/3 and 2000/3 through bf16")
        let report = try evaluation.run()
        XCTAssertEqual(report.entries.count, 1)

        // By hand: 3 images, batch 2, no drop_last → one whole batch (rows 0, 1) per timestep.
        let sampler = try BatchSampler(bucket: Bucket(BucketConfig.evaluationEntries(config.bucketConfig!)[0]), samples: data.sampleInfos,
                                       seed: 42, shuffle: false, dropLast: false)
        let batch = try XCTUnwrap(try sampler.batches(from: BatchSamplerState(epoch: 0)).first { _ in true })
        var expected = [Double]()
        for (ti, t) in evaluation.timesteps.enumerated() {
            let seed = evaluation.keys.seedValue(step: ti, micro: 0, .evaluation)
            let media = try XCTUnwrap(data.read(BatchRequest(batch: batch, seed: seed)).batch)
            let key = evaluation.keys.key(step: ti, micro: 0, .evaluation).split(into: 2)
            let x0 = try trainer.models.vae!.encode(media.video, key: key[0])
            let (y, mask) = try trainer.models.textEncoder!.encode(media.texts)
            let noise = Tensor.normal(x0.shape, key: key[1])
            let xt = x0 * (1 - t / 1000) + noise * (t / 1000)
            let out = try trainer.models.denoiser(xt, timestep: Tensor([t, t]), caption: y, captionMask: mask, fps: Tensor([120, 120]),
                                                  height: 144, width: 256)
            let v = out[.all, 0..<4]
            let perSample: [Float] = try (v - (x0 - noise)).square().mean(axes: [1, 2, 3, 4]).toArray()
            expected.append(Double(perSample.reduce(0, +)) / 2)
        }
        XCTAssertEqual(report.entries[0].samples, 2)
        for (got, want) in zip(report.entries[0].losses, expected) { XCTAssertEqual(got, want, accuracy: 1e-5 * want) }
        XCTAssertEqual(report.entries[0].loss, expected.reduce(0, +) / 2, accuracy: 1e-5)
    }

    /// A training checkpoint loads as a generation model: the denoiser holds the checkpoint's weights (or its EMA),
    /// the VAE and text encoder are the run's.
    func testCheckpointLoadsForGeneration() throws {
        let run = try TinyDiffusionRun(images: 2)
        let trainer = try DiffusionTrainer(config: try run.config(steps: 2), warn: { _ in })
        let folder = try XCTUnwrap(try TrainingLoop(task: trainer, options: .init(experiment: run.experiment("exp"))).run().lastCheckpoint)
        let saved = try Safetensors.load(folder + "/model.safetensors").tensors
        let bundle = try ModelBundle.trainingCheckpoint(folder)
        for (name, t) in bundle.denoiser.stateDict() {
            XCTAssertEqual(try t.toArray() as [Float], try XCTUnwrap(saved[name]).toArray() as [Float], name)
        }
        let ema = try Safetensors.load(folder + "/ema.safetensors").tensors
        let emaBundle = try ModelBundle.trainingCheckpoint(folder, useEMA: true)
        let name = "final_layer.linear.weight"
        XCTAssertEqual(try emaBundle.denoiser.stateDict()[name]!.toArray() as [Float], try ema[name]!.toArray() as [Float])
        XCTAssertNotEqual(try emaBundle.denoiser.stateDict()[name]!.toArray() as [Float], try saved[name]!.toArray() as [Float])
        for (name, t) in bundle.vae.stateDict() {
            XCTAssertEqual(try t.toArray() as [Float], try trainer.models.vae!.stateDict()[name]!.toArray() as [Float], name)
        }
        let encoder = try bundle.makeTextEncoder()
        let text = try encoder.encode(["a still pattern"]).embedding
        XCTAssertEqual(try text.toArray() as [Float], try trainer.models.textEncoder!.encode(["a still pattern"]).embedding.toArray() as [Float])
        encoder.release()  // as the container does after encoding; the next prompt gets a working encoder again
        XCTAssertEqual(try bundle.makeTextEncoder().encode(["a still pattern"]).embedding.toArray() as [Float], try text.toArray() as [Float])
    }

    func dataset(_ config: TrainingConfig) throws -> TrainingDataset {
        try TrainingDataset(table: DatasetTable(contentsOf: config.dataset.dataPath!))
    }
}

/// Warnings collected from the data loader's thread.
final class Warnings: @unchecked Sendable {
    private let lock = NSLock()
    private var items = [String]()
    var all: [String] { lock.withLock { items } }
    func add(_ s: String) { lock.withLock { items.append(s) } }
}

extension BucketConfig {
    static func evaluationEntries(_ c: BucketConfig) -> [BucketConfig] { c.evaluationEntries.map(\.config) }
}
