import Foundation
import OpenSora
@testable import OpenSoraTraining
import XCTest

final class DecodedMediaCacheTests: XCTestCase {
    func read(_ dataset: TrainingDataset) throws -> [Float] {
        var random = NumPyRandom(seed: 1)
        return try dataset.sample(row: 0, shape: BucketShape(frameCount: 4, size: VideoSize(height: 8, width: 8)), random: &random).get().pixels
    }

    /// A cached read gives what a fresh decode gave, holds the clip's bytes, and does not go back to the file: after
    /// the file is replaced by another clip the cached dataset still reads the first one.
    func testCachedReadsEqualDecodesAndSkipTheFile() throws {
        let clips = try ClipFolder()
        try clips.video("a.mkv", frames: 6, size: VideoSize(height: 8, width: 8)) { f, _, x, c in UInt8((40 * f + 9 * x + 70 * c) % 256) }
        let table = try DatasetTable(parsing: "path,text,num_frames,height,width\na.mkv,a,6,8,8\n", baseFolder: clips.path)
        let cache = DecodedMediaCache(megabytes: 1)
        let cached = try TrainingDataset(table: table, cache: cache), plain = try TrainingDataset(table: table)
        let first = try read(cached)
        XCTAssertEqual(first, try read(plain))
        XCTAssertEqual(cache.heldBytes, 6 * 8 * 8 * 3)
        try clips.video("a.mkv", frames: 6, size: VideoSize(height: 8, width: 8)) { _, _, _, _ in 7 }
        XCTAssertEqual(try read(cached), first)
        XCTAssertNotEqual(try read(plain), first)
    }

    func testAFileOverTheBudgetIsDecodedEachTimeAndNotHeld() throws {
        let clips = try ClipFolder()
        try clips.video("a.mkv", frames: 6, size: VideoSize(height: 8, width: 8)) { f, _, _, _ in UInt8(30 * f) }
        let table = try DatasetTable(parsing: "path,text,num_frames,height,width\na.mkv,a,6,8,8\n", baseFolder: clips.path)
        let cache = DecodedMediaCache(megabytes: 0)
        let first = try read(try TrainingDataset(table: table, cache: cache))
        XCTAssertEqual(cache.heldBytes, 0)
        XCTAssertEqual(first, try read(try TrainingDataset(table: table)))
        let config = try TrainingConfig.preset("vae_stage3", overrides: [try ConfigOverride(parsing: "dataset.cache_decoded_mb=64")])
        XCTAssertEqual(config.dataset.decodedCache?.budgetBytes, 64 * 1_048_576)
    }
}
