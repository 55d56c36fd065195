import Foundation
import MLXTensor
@testable import OpenSoraTraining
import XCTest

/// `opensora launch -n 2 -- train …` against one process, through the real binary: data-parallel
/// ranks step like one process accumulating their batches (rank order = micro-batch order),
/// sequence-parallel ranks like one process on the whole batch, a run resumes on another number
/// of ranks exactly, and only rank 0 writes.
final class DataParallelTrainingTests: XCTestCase {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("opensora")
    var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dp-\(UUID().uuidString)").path
        // Six batches of 2 videos (4×3×8×8 latents: 16 tokens a frame, divisible for two SP ranks), captions of varying length.
        let writer = try FeatureCache.Writer(folder: path("features"), batchesPerShard: 4)
        for i in 0..<6 {
            let k = RandomKey(seed: UInt64(100 + i)).split(into: 2)
            let lengths = [3 + i % 4, 16 - i]
            let mask = lengths.flatMap { n in (0..<16).map { Int32($0 < n ? 1 : 0) } }
            try writer.append(DiffusionBatch(latents: Tensor.normal([2, 4, 3, 8, 8], key: k[0]), caption: Tensor.normal([2, 1, 16, 32], key: k[1]),
                                             captionMask: Tensor(int32: mask, shape: [2, 16]), fps: [24, 24], heights: [64, 64], widths: [64, 64],
                                             numFrames: [9, 9]))
        }
        _ = try writer.finish()
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// A run config of the tiny STDiT3 on the cache, with masks (image-to-video and the rest) on.
    func config(_ name: String, accumulation: Int, steps: Int, sp: Int = 1) throws -> String {
        let yaml = """
            trainer: diffusion
            dataset: {type: BatchFeatureDataset, data_path: \(path("features"))}
            load_video_features: true
            load_text_features: true
            vae_out_channels: 4
            text_encoder_output_dim: 32
            text_encoder_model_max_length: 16
            dtype: fp32
            model: {type: STDiT3-tiny}
            scheduler: {type: rflow, use_timestep_transform: true, sample_method: logit-normal}
            mask_ratios: {random: 0.25, image_head: 0.25}
            optimizer: {lr: 1.0e-3, eps: 1.0e-8}
            grad_clip: 1.0
            ema_decay: 0.9
            grad_accumulation_steps: \(accumulation)
            sp_size: \(sp)
            epochs: 100
            max_steps: \(steps)
            seed: 11
            outputs: \(path("outputs"))
            """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path(name)))
        return path(name)
    }

    func opensora(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = arguments
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: e, as: UTF8.self))
    }

    func train(_ config: String, experiment: String, ranks: Int = 1, resume: String? = nil, file: StaticString = #filePath,
               line: UInt = #line) throws {
        var args = ["train", config, "--experiment", path(experiment)] + (resume.map { ["--resume", path($0)] } ?? [])
        if ranks > 1 { args = ["launch", "-n", "\(ranks)", "--peer-timeout", "120", "--"] + args }
        let r = try opensora(args)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
    }

    func weights(_ experiment: String, ema: Bool = false) throws -> [String: Tensor] {
        let checkpoint = try XCTUnwrap(TrainingCheckpoint.latest(in: path(experiment)), "no checkpoint in \(experiment)")
        return try Tensor.load(safetensors: (checkpoint as NSString).appendingPathComponent(ema ? "ema.safetensors" : "model.safetensors"))
    }

    func losses(_ experiment: String) throws -> [Double] { try TrainingLog.read(path(experiment) + "/log.jsonl").map(\.loss) }

    func assertSameWeights(_ a: String, _ b: String, tolerance: Float, ema withEMA: Bool = true, file: StaticString = #filePath,
                           line: UInt = #line) throws {
        for ema in withEMA ? [false, true] : [false] {
            let wa = try weights(a, ema: ema), wb = try weights(b, ema: ema)
            XCTAssertEqual(Set(wa.keys), Set(wb.keys), file: file, line: line)
            for (name, x) in wa.sorted(by: { $0.key < $1.key }) {
                var (x, y) = (x, wb[name]!)
                // The caption keys' bias shifts every logit of a query alike, so softmax removes it: its gradient is
                // rounding noise, which Adam normalises into steps of any size. Its value half is compared.
                if name.hasSuffix("cross_attn.kv_linear.bias") { (x, y) = (x[(x.dim(0) / 2)...], y[(y.dim(0) / 2)...]) }
                let diff = try (x - y).abs().max().item() as Float
                XCTAssertLessThanOrEqual(diff, tolerance, "\(ema ? "ema " : "")\(name)", file: file, line: line)
            }
        }
    }

    func testTwoDataRanksStepLikeOneProcessAccumulatingTheirBatches() throws {
        try train(try config("one.yaml", accumulation: 2, steps: 2), experiment: "one")
        try train(try config("two.yaml", accumulation: 1, steps: 2), experiment: "two", ranks: 2)
        let one = try losses("one"), two = try losses("two")
        XCTAssertEqual(one.count, 2)
        XCTAssertEqual(two.count, 2, "rank 0 alone logs")
        for (a, b) in zip(one, two) { XCTAssertEqual(a, b, accuracy: 1e-6 * abs(a)) }
        try assertSameWeights("one", "two", tolerance: 1e-6)
        // Rank 1 wrote nothing of its own: one log, one set of checkpoints.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("two")).filter { $0.hasPrefix("epoch") }.count, 1)
    }

    /// One step alone, the rest on two ranks: the same weights as two ranks from the start.
    func testAResumeOnAnotherNumberOfRanksContinuesExactly() throws {
        try train(try config("one.yaml", accumulation: 2, steps: 1), experiment: "first")
        try train(try config("two.yaml", accumulation: 1, steps: 2), experiment: "rest", ranks: 2, resume: "first")
        try train(try config("all.yaml", accumulation: 1, steps: 2), experiment: "all", ranks: 2)
        XCTAssertEqual(try losses("rest").last!, try losses("all").last!, accuracy: 1e-6)
        try assertSameWeights("rest", "all", tolerance: 1e-6)
    }

    /// sp_size 2: both ranks hold the same batch, each half of every frame's tokens; the step equals one process's.
    func testTwoSequenceParallelRanksStepLikeOneProcess() throws {
        try train(try config("one.yaml", accumulation: 1, steps: 2), experiment: "one")
        try train(try config("sp.yaml", accumulation: 1, steps: 2, sp: 2), experiment: "sp", ranks: 2)
        for (a, b) in zip(try losses("one"), try losses("sp")) { XCTAssertEqual(a, b, accuracy: 1e-5 * abs(a)) }
        try assertSameWeights("one", "sp", tolerance: 1e-5)
    }

    /// Four ranks as 2 data × 2 sequence ranks: the ring cannot split groups, so each SP pair's exchanges run over the
    /// world (emulated subgroups); still the step of one process accumulating the two data ranks' batches.
    func testATwoByTwoMeshStepsLikeOneProcess() throws {
        try train(try config("one.yaml", accumulation: 2, steps: 2), experiment: "one")
        try train(try config("mesh.yaml", accumulation: 1, steps: 2, sp: 2), experiment: "mesh", ranks: 4)
        for (a, b) in zip(try losses("one"), try losses("mesh")) { XCTAssertEqual(a, b, accuracy: 1e-5 * abs(a)) }
        try assertSameWeights("one", "mesh", tolerance: 1e-5)
    }

    /// The VAE trainer shares the loop and the optimizer: two ranks of batch 1 step like one process accumulating 2.
    func testVAETrainerOnTwoDataRanksStepsLikeOneProcess() throws {
        let run = try TinyVAERun(videos: 4, images: 0)
        for (name, accumulation) in [("vae-one.yaml", 2), ("vae-two.yaml", 1)] {
            let yaml = try run.config(steps: 2, extra: ["batch_size=1", "grad_accumulation_steps=\(accumulation)"]).yamlText()
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: path(name)))
        }
        var args = ["train-vae", path("vae-one.yaml"), "--experiment", path("vae-one")]
        var r = try opensora(args)
        XCTAssertEqual(r.status, 0, r.stderr)
        args = ["launch", "-n", "2", "--", "train-vae", path("vae-two.yaml"), "--experiment", path("vae-two")]
        r = try opensora(args)
        XCTAssertEqual(r.status, 0, r.stderr)
        for (a, b) in zip(try losses("vae-one"), try losses("vae-two")) { XCTAssertEqual(a, b, accuracy: 1e-5 * abs(a)) }
        try assertSameWeights("vae-one", "vae-two", tolerance: 1e-5, ema: false)
    }

    func testSequenceParallelWithoutALaunchIsAConfigError() throws {
        let r = try opensora(["train", try config("sp.yaml", accumulation: 1, steps: 1, sp: 2), "--experiment", path("x")])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("sp_size"), r.stderr)
        XCTAssertTrue(r.stderr.contains("a divisor of the 1 launched ranks"), r.stderr)
    }
}
