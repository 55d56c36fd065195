@testable import OpenSoraTraining
import XCTest

/// train_vae.py's sampler: torch's randperm order (seed 0 + epoch), rank shares padded from the front, the
/// incomplete last batch dropped, and batches from a resume position.
final class DistributedSamplerTests: XCTestCase {
    func testOrderIsTorchRandpermOfSeedPlusEpoch() throws {
        for epoch in 0..<3 {
            var g = TorchGenerator(seed: UInt64(epoch))
            XCTAssertEqual(try DistributedSampler(count: 7, batchSize: 2).rows(epoch: epoch), try g.randomPermutation(7))
        }
        XCTAssertEqual(try DistributedSampler(count: 5, batchSize: 2, shuffle: false).rows(epoch: 3), [0, 1, 2, 3, 4])
    }

    func testRanksArePaddedFromTheFrontAndTheLastBatchIsDropped() throws {
        let order = try DistributedSampler(count: 5, batchSize: 1).rows(epoch: 1)
        let shards = try (0..<2).map { try DistributedSampler(count: 5, batchSize: 1, shard: DataShard(rank: $0, worldSize: 2)).rows(epoch: 1) }
        XCTAssertEqual(shards[0], [order[0], order[2], order[4]])
        XCTAssertEqual(shards[1], [order[1], order[3], order[0]])  // padded with the first row
        let sampler = DistributedSampler(count: 5, batchSize: 2)
        XCTAssertEqual(try sampler.batchCount(epoch: 0), 2)
        let shape = BucketShape(frameCount: 3, size: .init(height: 8, width: 8))
        let all = try sampler.batches(epoch: 0, from: 0, shape: shape)
        XCTAssertEqual(all.map(\.rows), [Array(try sampler.rows(epoch: 0)[0..<2]), Array(try sampler.rows(epoch: 0)[2..<4])])
        XCTAssertEqual(try sampler.batches(epoch: 0, from: 1, shape: shape), Array(all[1...]))
        XCTAssertEqual(all[0].shape, shape)
        XCTAssertThrowsError(try sampler.rows(epoch: -1))
    }
}
