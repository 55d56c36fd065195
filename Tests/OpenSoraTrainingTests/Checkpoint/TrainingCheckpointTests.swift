import Foundation
import MLXTensor
import NN
@testable import OpenSoraTraining
import XCTest

final class TrainingCheckpointTests: XCTestCase {
    func testSHA256MatchesTheStandardVectors() {
        var empty = SHA256()
        XCTAssertEqual(empty.finalizeHex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var abc = SHA256()
        abc.update(Array("abc".utf8))
        XCTAssertEqual(abc.finalizeHex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var long = SHA256()
        for chunk in ["abcdbcdecdefdefgefghfghighij", "hijkijkljklmklmnlmnomnopnopq"] { long.update(Array(chunk.utf8)) }
        XCTAssertEqual(long.finalizeHex(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // A million "a" fed in uneven pieces (blocks split across calls, whole blocks straight from the input).
        var million = SHA256(), fed = 0
        for size in [1, 63, 65, 127, 1000].cycled(toTotal: 1_000_000) {
            million.update(Data(repeating: 0x61, count: size))
            fed += size
        }
        XCTAssertEqual(fed, 1_000_000)
        XCTAssertEqual(million.finalizeHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testNamesParseOnlyTheReferenceForm() {
        XCTAssertEqual(CheckpointName("epoch3-global_step1200"), CheckpointName(epoch: 3, globalStep: 1200))
        XCTAssertEqual(CheckpointName(epoch: 0, globalStep: 200).description, "epoch0-global_step200")
        for bad in [".epoch3-global_step1200.ABC.tmp", "epoch3-global_step", "epoch-global_step1", "epoch1-global_step2x", "epoch1_global_step2"] {
            XCTAssertNil(CheckpointName(bad), bad)
        }
    }

    func testSaveThenLoadRestoresEveryPartBitForBit() throws {
        let experiment = try CheckpointFixture.folder()
        let (ckpt, adam, ema) = try CheckpointFixture.checkpoint(globalStep: 10)
        let path = try ckpt.save(in: experiment)
        XCTAssertEqual((path as NSString).lastPathComponent, "epoch0-global_step10")
        let loaded = try TrainingCheckpoint.load(from: path)
        let back = loaded.checkpoint
        XCTAssertEqual(back.progress, ckpt.progress)
        XCTAssertEqual(back.sampler, BatchSamplerState(epoch: 0, position: 20))
        XCTAssertEqual(back.rng, ckpt.rng)
        XCTAssertEqual(try back.rng.generator([String: [Int]].self, named: "python"), ["python_random": [7, 8, 9]])
        XCTAssertEqual(back.config, ckpt.config)
        XCTAssertEqual(back.config.optimizer.lr, 2e-5)
        XCTAssertEqual(back.modelConfig, ckpt.modelConfig)
        XCTAssertEqual(Set(back.model.tensors.keys), Set(ckpt.model.tensors.keys))
        for (name, t) in ckpt.model.tensors {
            XCTAssertEqual(try back.model.tensors[name]?.toBytes(), try t.toBytes(), name)
        }
        // Every file but the discriminator's two, which are written only for a run that has one.
        XCTAssertEqual(loaded.manifest.files.map(\.path),
                       TrainingCheckpoint.File.allCases.filter { $0 != .discriminator && $0 != .discriminatorOptimizer }.map(\.rawValue).sorted())
        XCTAssertNil(back.discriminator)

        // The optimizer and EMA restore from the checkpoint's files into fresh objects, equal to the saved ones.
        let params = CheckpointFixture.parameters()
        let adam2 = AdamW()
        try adam2.load(from: XCTUnwrap(loaded.path(.optimizer)), parameters: params)
        XCTAssertEqual(adam2.step, adam.step)
        XCTAssertEqual(adam2.eps, 1e-15)
        for (name, m) in adam.firstMoments { XCTAssertEqual(try adam2.firstMoments[name]?.toBytes(), try m.toBytes(), name) }
        for (name, v) in adam.secondMoments { XCTAssertEqual(try adam2.secondMoments[name]?.toBytes(), try v.toBytes(), name) }
        let ema2 = EMA(parameters: params, decay: 0.5)
        try ema2.load(from: XCTUnwrap(loaded.path(.ema)), parameters: params)
        XCTAssertEqual(ema2.decay, 0.99)
        for (name, s) in ema.shadow { XCTAssertEqual(try ema2.shadow[name]?.toBytes(), try s.toBytes(), name) }
    }

    func testAVAECheckpointWithoutEMARoundTrips() throws {
        let experiment = try CheckpointFixture.folder()
        var (ckpt, _, _) = try CheckpointFixture.checkpoint(globalStep: 1000)
        ckpt.ema = nil
        ckpt.sampler = nil
        ckpt.config = try TrainingConfig.preset("vae_stage3")
        let loaded = try TrainingCheckpoint.load(from: ckpt.save(in: experiment))
        XCTAssertNil(loaded.checkpoint.ema)
        XCTAssertNil(loaded.path(.ema))
        XCTAssertNil(loaded.checkpoint.sampler)
        XCTAssertEqual(loaded.checkpoint.config.trainer, .vae)
        XCTAssertEqual(loaded.manifest.files.map(\.path).sorted(), ["config.json", "config.yaml", "model.safetensors", "optimizer.safetensors", "rng.json", "running_states.json"])
    }

    func testKeepsTheLastKAndPicksTheNewest() throws {
        let experiment = try CheckpointFixture.folder()
        for step in [10, 20, 30, 40] {
            try CheckpointFixture.checkpoint(globalStep: step).0.save(in: experiment, keepLast: 2)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: experiment).sorted()
        XCTAssertEqual(names, ["epoch0-global_step30", "epoch0-global_step40"])
        XCTAssertEqual(TrainingCheckpoint.latest(in: experiment).map { ($0 as NSString).lastPathComponent }, "epoch0-global_step40")
        XCTAssertThrowsError(try CheckpointFixture.checkpoint(globalStep: 50).0.save(in: experiment, keepLast: 0)) { error in
            XCTAssertEqual(error as? TrainingCheckpointError, .invalidKeepCount(0))
        }
    }

    func testACorruptOrMissingFileIsNamed() throws {
        let experiment = try CheckpointFixture.folder()
        let older = try CheckpointFixture.checkpoint(globalStep: 10).0.save(in: experiment)
        let newer = try CheckpointFixture.checkpoint(globalStep: 20).0.save(in: experiment)
        let model = (newer as NSString).appendingPathComponent("model.safetensors")
        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: model))
        bytes[bytes.count - 3] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: model))
        XCTAssertThrowsError(try TrainingCheckpoint.load(from: newer)) { error in
            guard case .checksumMismatch(let ckpt, let file, _, _) = error as? TrainingCheckpointError else { return XCTFail("\(error)") }
            XCTAssertEqual([ckpt, file], ["epoch0-global_step20", "model.safetensors"])
        }
        XCTAssertEqual(TrainingCheckpoint.latest(in: experiment), older, "a corrupt checkpoint is not the latest")

        try bytes.prefix(100).write(to: URL(fileURLWithPath: model))
        XCTAssertThrowsError(try TrainingCheckpoint.load(from: newer)) { error in
            XCTAssertEqual(error as? TrainingCheckpointError, .sizeMismatch(checkpoint: "epoch0-global_step20", file: "model.safetensors",
                                                                    expected: bytes.count, found: 100))
        }
        try FileManager.default.removeItem(atPath: (older as NSString).appendingPathComponent("rng.json"))
        XCTAssertThrowsError(try TrainingCheckpoint.load(from: older)) { error in
            XCTAssertEqual(error as? TrainingCheckpointError, .missingFile(checkpoint: "epoch0-global_step10", file: "rng.json"))
        }
        XCTAssertNil(TrainingCheckpoint.latest(in: experiment))
    }

    func testAFailedWriteLeavesThePreviousCheckpointAndNothingHalfWritten() throws {
        let experiment = try CheckpointFixture.folder()
        let previous = try CheckpointFixture.checkpoint(globalStep: 10).0.save(in: experiment)
        struct Interrupted: Error {}
        XCTAssertThrowsError(try CheckpointFixture.checkpoint(globalStep: 20).0.save(in: experiment, keepLast: 1) { file in
            if file == "sampler.json" { throw Interrupted() }
        })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: experiment), ["epoch0-global_step10"])
        XCTAssertEqual(TrainingCheckpoint.latest(in: experiment), previous)
    }

    func testLeftoversOfACrashAreIgnored() throws {
        let experiment = try CheckpointFixture.folder()
        let previous = try CheckpointFixture.checkpoint(globalStep: 10).0.save(in: experiment)
        // A crash inside the temporary folder, and a final-named folder without its manifest (a copy cut short).
        let temp = (experiment as NSString).appendingPathComponent(".epoch0-global_step20.\(UUID().uuidString).tmp")
        let cut = (experiment as NSString).appendingPathComponent("epoch0-global_step30")
        for folder in [temp, cut] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            try Data(repeating: 7, count: 50).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("model.safetensors")))
        }
        XCTAssertEqual(TrainingCheckpoint.latest(in: experiment), previous)
        XCTAssertThrowsError(try TrainingCheckpoint.load(from: cut)) { error in
            XCTAssertEqual(error as? TrainingCheckpointError, .missingManifest(checkpoint: "epoch0-global_step30"))
        }
    }
}

extension Array where Element == Int {
    /// The sizes repeated in order, the last one cut so they sum to `total`.
    func cycled(toTotal total: Int) -> [Int] {
        var out = [Int](), sum = 0, i = 0
        while sum < total {
            let n = Swift.min(self[i % count], total - sum)
            out.append(n)
            sum += n
            i += 1
        }
        return out
    }
}
