import Foundation
import OpenSora
@testable import OpenSoraTraining
import XCTest

final class BatchSamplerTests: XCTestCase {
    /// The dataset the reference run used: 240 rows cycling over 8 frame sizes and 9 frame counts.
    static let samples: [SampleInfo] = (0..<240).map { i in
        let sizes = [(144, 256), (256, 144), (240, 426), (360, 640), (480, 480), (720, 1280), (192, 192), (100, 300)]
        let frames = [1, 1, 2, 17, 52, 60, 103, 120, 210]
        let (h, w) = sizes[(i * 7) % sizes.count]
        return SampleInfo(numFrames: frames[(i * 5 + i / 9) % frames.count], height: h, width: w)
    }

    static let config = """
        {"144p": {1: (1.0, 3), 51: (1.0, 2), 102: ((1.0, 0.5), 2)},
         "240p": {1: (0.5, 2), 51: (0.5, 2)},
         "360p": {1: (0.7, 2), 51: ((0.6, 0.5), 1)}}
        """

    func sampler(seed: UInt64 = 7, shard: DataShard = .single, dropLast: Bool = true, shuffle: Bool = true) throws -> BatchSampler {
        try BatchSampler(bucket: Bucket(BucketConfig(parsing: Self.config)), samples: Self.samples, seed: seed, shuffle: shuffle,
                         dropLast: dropLast, shard: shard)
    }

    /// Every reference run (epochs, world sizes, ranks, drop_last, no shuffle, resumed starts, the first epoch
    /// after a resume grouped as epoch 0) batch for batch.
    func testBatchesEqualTheReferenceSampler() throws {
        let runs = try XCTUnwrap(ConfigLiteral(parsing: ReferenceBatches.runs).listValue)
        XCTAssertEqual(runs.count, 9)
        for run in runs {
            let world = try XCTUnwrap(run["world"]?.intValue), rank = try XCTUnwrap(run["rank"]?.intValue)
            let s = try sampler(seed: XCTUnwrap(run["seed"]?.uint64Value), shard: DataShard(rank: rank, worldSize: world),
                                dropLast: run["drop_last"] == .bool(true), shuffle: run["shuffle"] == .bool(true))
            let state = BatchSamplerState(epoch: try XCTUnwrap(run["epoch"]?.intValue), position: try XCTUnwrap(run["start"]?.intValue))
            let got = Array(try s.batches(from: state, groupedAs: run["grouped_as"]?.intValue)).map { $0.sampleKeys.joined(separator: " ") }
            let want = try XCTUnwrap(run["batches"]?.listValue).compactMap(\.stringValue)
            XCTAssertEqual(got, want, "run \(run.literalText.prefix(90))")
            if run["grouped_as"]?.intValue != nil {
                let own = Array(try s.batches(from: state)).map { $0.sampleKeys.joined(separator: " ") }
                XCTAssertNotEqual(own, want, "the epoch's own grouping must differ for this run to test groupedAs")
            }
        }
    }

    func testSameSeedAndEpochGiveTheSameBatchesAndEpochsDiffer() throws {
        let a = Array(try sampler().batches(from: BatchSamplerState(epoch: 2)))
        let b = Array(try sampler().batches(from: BatchSamplerState(epoch: 2)))
        let c = Array(try sampler().batches(from: BatchSamplerState(epoch: 3)))
        XCTAssertFalse(a.isEmpty)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    /// After k batches the iterator's state resumes at exactly the next batch, also through Codable.
    func testResumeFromASavedStateYieldsExactlyTheRemainingBatches() throws {
        let s = try sampler()
        let all = Array(try s.batches(from: BatchSamplerState(epoch: 1)))
        for k in [0, 1, 5, all.count - 1, all.count] {
            var it = try s.batches(from: BatchSamplerState(epoch: 1))
            for _ in 0..<k { _ = it.next() }
            XCTAssertEqual(it.state, BatchSamplerState(epoch: 1, position: k))
            let saved = try JSONDecoder().decode(BatchSamplerState.self, from: JSONEncoder().encode(it.state))
            XCTAssertEqual(Array(try s.batches(from: saved)), Array(all[k...]), "resume after \(k)")
        }
    }

    /// Ranks of one world serve disjoint rows whose union is what one process sees in as many accesses.
    func testShardsAreDisjointAndCoverTheSingleProcessBatches() throws {
        let single = Array(try sampler().batches(from: BatchSamplerState(epoch: 0)))
        let world = 3
        let shards = try (0..<world).map { r in Array(try sampler(shard: DataShard(rank: r, worldSize: world)).batches(from: BatchSamplerState(epoch: 0))) }
        XCTAssertEqual(Set(shards.map(\.count)), [single.count / world])
        var interleaved = [SampledBatch]()
        for i in 0..<shards[0].count { for r in 0..<world { interleaved.append(shards[r][i]) } }
        XCTAssertEqual(interleaved, Array(single.prefix(single.count / world * world)))
        let rows = shards.flatMap { $0.flatMap(\.rows) }
        XCTAssertEqual(rows.count, Set(rows).count, "a row served twice")
    }

    /// Every batch holds rows of one bucket, as many as its batch size, and each row belongs in that bucket.
    func testEveryBatchSharesABucketAndItsBatchSize() throws {
        let s = try sampler()
        let groups = Dictionary(uniqueKeysWithValues: try s.grouping(epoch: 4).map { ($0.bucket, Set($0.rows)) })
        var count = 0
        for batch in try s.batches(from: BatchSamplerState(epoch: 4)) {
            XCTAssertEqual(batch.rows.count, try s.bucket.batchSize(batch.bucket))
            XCTAssertTrue(Set(batch.rows).isSubset(of: groups[batch.bucket] ?? []), "\(batch)")
            XCTAssertEqual(batch.shape, try s.bucket.shape(batch.bucket))
            count += 1
        }
        XCTAssertEqual(count, try s.batchCount(epoch: 4))
    }

    /// drop_last=False pads each bucket with its head, so no row is lost when a bucket has ≥ half a batch.
    func testPaddingRepeatsTheHeadOfABucket() throws {
        let s = try sampler(dropLast: false, shuffle: false)
        let batches = Array(try s.batches(from: BatchSamplerState(epoch: 0)))
        for (id, rows) in try s.grouping(epoch: 0) {
            let bs = try XCTUnwrap(try s.bucket.batchSize(id))
            let served = batches.filter { $0.bucket == id }.flatMap(\.rows)
            let padded = rows + rows.prefix(rows.count % bs == 0 ? 0 : bs - rows.count % bs)
            XCTAssertEqual(served, Array(padded.prefix(padded.count / bs * bs)), "\(id)")
        }
    }

    func testRefusesBadShardsEpochsAndBatchSizeNoneWithRows() throws {
        XCTAssertThrowsError(try DataShard(rank: 2, worldSize: 2)) { XCTAssertTrue("\($0)".contains("rank 2"), "\($0)") }
        XCTAssertThrowsError(try DataShard(rank: 0, worldSize: 0))
        XCTAssertThrowsError(try JSONDecoder().decode(DataShard.self, from: Data(#"{"rank": 5, "worldSize": 2}"#.utf8)))
        XCTAssertEqual(try JSONDecoder().decode(DataShard.self, from: Data(#"{"rank": 1, "worldSize": 2}"#.utf8)),
                       try DataShard(rank: 1, worldSize: 2))
        XCTAssertThrowsError(try sampler().plan(epoch: -1)) { XCTAssertEqual($0 as? BatchSamplerError, .invalidEpoch(-1)) }
        let sink = try BatchSampler(bucket: Bucket(BucketConfig(parsing: #"{"144p": {51: (1.0, None)}}"#)),
                                    samples: [SampleInfo(numFrames: 60, height: 144, width: 256)], seed: 0)
        XCTAssertThrowsError(try sink.plan(epoch: 0)) { error in
            guard case .noBatchSize(let id, 1) = error as? BatchSamplerError else { return XCTFail("\(error)") }
            XCTAssertEqual(id.frameCount, 51)
        }
    }

    func testStateFromCompletedStepsCountsAccessesOfEveryRank() throws {
        let shard = try DataShard(rank: 1, worldSize: 4)
        XCTAssertEqual(BatchSamplerState(epoch: 2, completedSteps: 3, shard: shard), BatchSamplerState(epoch: 2, position: 12))
    }
}
