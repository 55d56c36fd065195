import Foundation
@testable import OpenSoraTraining
import XCTest

/// A real crash: this test binary is re-run as a child that trains, and is SIGKILLed while it writes a checkpoint;
/// the run then resumes from the last complete one and ends where an uninterrupted run ends, bit for bit.
final class TrainerKillTests: XCTestCase {
    static let folderVariable = "OPENSORA_TRAINER_KILL_DIR"
    static let csvVariable = "OPENSORA_TRAINER_KILL_CSV"

    static func config(csv: String, outputs: String, steps: Int) throws -> TrainingConfig {
        try TrainingConfig(yaml: """
            trainer: diffusion
            dataset: {type: VariableVideoTextDataset, data_path: \(csv)}
            bucket_config: {"144p": {1: [1.0, 2]}}
            model: {type: STDiT3-tiny}
            vae: {type: tiny}
            text_encoder: {type: tiny, model_max_length: 16}
            dtype: fp32
            optimizer: {lr: 1.0e-3, eps: 1.0e-15}
            grad_clip: 1.0
            ema_decay: 0.99
            max_steps: \(steps)
            ckpt_every: 2
            num_workers: 1
            seed: 7
            outputs: \(outputs)
            """)
    }

    /// The child's part: train 4 steps; while writing the step-4 checkpoint, stall until killed.
    func testChildTrainsUntilKilled() throws {
        let env = ProcessInfo.processInfo.environment
        guard let experiment = env[Self.folderVariable], let csv = env[Self.csvVariable] else {
            throw XCTSkip("runs only as the child of testKilledWhileCheckpointingResumesFromTheLastCompleteOne")
        }
        let trainer = try DiffusionTrainer(config: try Self.config(csv: csv, outputs: experiment, steps: 4), warn: { _ in })
        var step = 0
        _ = try TrainingLoop(task: trainer, options: .init(experiment: experiment, onStep: { step = $0.step }, onCheckpointFile: { _ in
            guard step == 4 else { return }
            FileManager.default.createFile(atPath: (experiment as NSString).appendingPathComponent("writing"), contents: Data())
            Thread.sleep(forTimeInterval: 120)
        })).run()
    }

    func testKilledWhileCheckpointingResumesFromTheLastCompleteOne() throws {
        #if !os(Linux)
        throw XCTSkip("finds its own executable through /proc/self/exe (Linux)")
        #endif
        let run = try TinyDiffusionRun(images: 4)
        let experiment = run.experiment("killed")
        try KilledChild.run(test: "TrainerKillTests/testChildTrainsUntilKilled",
                            environment: [Self.folderVariable: experiment, Self.csvVariable: run.csv],
                            marker: (experiment as NSString).appendingPathComponent("writing"), timeout: 240)

        let names = try FileManager.default.contentsOfDirectory(atPath: experiment)
        XCTAssertFalse(names.contains { $0.hasSuffix("global_step4") }, "nothing half-written under a final name: \(names)")
        let latest = try XCTUnwrap(TrainingCheckpoint.latest(in: experiment))
        XCTAssertTrue(latest.hasSuffix("global_step2"), latest)

        let config = try Self.config(csv: run.csv, outputs: run.outputs, steps: 4)
        let resumed = try TrainingLoop(task: try DiffusionTrainer(config: config, warn: { _ in }), options: .init(resume: experiment)).run()
        let straight = try TrainingLoop(task: try DiffusionTrainer(config: config, warn: { _ in }),
                                        options: .init(experiment: run.experiment("straight"))).run()
        let a = try XCTUnwrap(resumed.lastCheckpoint), b = try XCTUnwrap(straight.lastCheckpoint)
        for file in ["model.safetensors", "ema.safetensors", "optimizer.safetensors"] {
            try TensorFiles.assertBitwiseEqual((a as NSString).appendingPathComponent(file), (b as NSString).appendingPathComponent(file))
        }
        XCTAssertEqual(try TrainingLog.read(experiment + "/log.jsonl").map(\.step), [1, 2, 3, 4])
    }
}
