import Foundation
import MLXTensor
@testable import OpenSoraTraining
import XCTest

final class FeatureCacheTests: XCTestCase {
    /// Batches written to a cache read back exactly, across shard boundaries; an unfinished cache is refused.
    func testBatchesRoundTripAcrossShards() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("features-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let writer = try FeatureCache.Writer(folder: folder, batchesPerShard: 2)
        var written = [DiffusionBatch]()
        for i in 0..<5 {
            let b = DiffusionBatch(latents: Tensor.normal([1 + i % 2, 4, 2, 3, 5], key: RandomKey(seed: UInt64(i))),
                                   caption: Tensor.normal([1 + i % 2, 1, 6, 8], key: RandomKey(seed: UInt64(10 + i))),
                                   captionMask: Tensor(int32: Array(repeating: 1, count: 6 * (1 + i % 2)), shape: [1 + i % 2, 6]),
                                   fps: Array(repeating: Float(24 + i), count: 1 + i % 2), heights: Array(repeating: 144, count: 1 + i % 2),
                                   widths: Array(repeating: 256, count: 1 + i % 2), numFrames: Array(repeating: Float(17), count: 1 + i % 2))
            written.append(b)
            try writer.append(b)
        }
        XCTAssertThrowsError(try FeatureCache(folder: folder), "no index before finish()")
        XCTAssertEqual(try writer.finish(), 5)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".safetensors") }.count, 3)
        var cache = try FeatureCache(folder: folder)
        XCTAssertEqual(cache.batchCount, 5)
        for i in [4, 0, 3, 1, 2] {
            let got = try cache.batch(i), want = written[i]
            XCTAssertEqual(try got.latents.toArray() as [Float], try want.latents.toArray() as [Float])
            XCTAssertEqual(try got.caption.toArray() as [Float], try want.caption.toArray() as [Float])
            XCTAssertEqual(got.captionMask.shape, want.captionMask.shape)
            XCTAssertEqual(got.fps, want.fps)
            XCTAssertEqual(got.numFrames, want.numFrames)
        }
        XCTAssertThrowsError(try cache.batch(5))
    }

    /// `train extract` then a BatchFeatureDataset run: the cache holds the run's encoded batches and training on it
    /// reaches its step count with finite losses.
    func testExtractThenTrainOnFeatures() throws {
        let run = try TinyDiffusionRun(images: 4)
        let media = try run.config(buckets: #"{"144p": {1: [1.0, 2]}}"#)
        let cacheFolder = run.experiment("features")
        XCTAssertEqual(try FeatureExtraction(config: media).run(into: cacheFolder), 2)
        var cache = try FeatureCache(folder: cacheFolder)
        XCTAssertEqual(try cache.batch(0).latents.shape, [2, 4, 1, 18, 32])
        XCTAssertEqual(try cache.batch(0).caption.shape, [2, 1, 16, 32])

        var features = media
        features.dataset.type = .batchFeature
        features.dataset.dataPath = cacheFolder
        features.loadVideoFeatures = true
        features.loadTextFeatures = true
        features.textEncoderOutputDim = 32
        features.textEncoderModelMaxLength = 16
        features.maxSteps = 3
        let trainer = try DiffusionTrainer(config: features, warn: { _ in })
        XCTAssertNil(trainer.models.vae)
        XCTAssertNil(trainer.models.textEncoder)
        var losses = [Double]()
        let summary = try TrainingLoop(task: trainer, options: .init(experiment: run.experiment("exp"), onStep: { losses.append($0.loss) })).run()
        XCTAssertEqual(summary.completedSteps, 3)
        XCTAssertTrue(losses.allSatisfy(\.isFinite), "\(losses)")
        XCTAssertThrowsError(try FeatureCache(folder: run.experiment("nothing-here")))
    }
}
