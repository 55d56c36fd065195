import Foundation
import MLXTensor
import NN
@testable import OpenSora
import XCTest

final class T5EncoderTests: XCTestCase {
    /// The bucket table of spec/t5.md §6 (generated with the reference's own bucket function).
    func testRelativePositionBuckets() {
        let table: [(ClosedRange<Int>, Int)] = [
            (0...0, 0), (7...7, 7), (8...11, 8), (12...15, 9), (16...22, 10), (23...31, 11), (32...45, 12), (46...63, 13),
            (64...90, 14), (91...299, 15),
        ]
        for (range, bucket) in table {
            for d in range {
                XCTAssertEqual(t5RelativePositionBucket(-d, buckets: 32, maxDistance: 128), bucket, "distance -\(d)")
                if d > 0 { XCTAssertEqual(t5RelativePositionBucket(d, buckets: 32, maxDistance: 128), bucket + 16, "distance \(d)") }
            }
        }
    }

    func testXXLLayoutEqualsOfficialLayout() throws {
        let got = try assertLayoutEqualsOfficial("t5-v1_1-xxl", officialNamePrefix: "T5EncoderModel")
        XCTAssertEqual(got.totalParameters, 4_762_310_656)
        XCTAssertEqual(got.totalStateDictElements, 4_893_906_944)
    }

    func testPaddingDoesNotChangeRealPositions() throws {
        let model = try T5EncoderModel(.tiny, key: RandomKey(seed: 1))
        let ids = Tensor(int32: [5, 9, 33, 1, 0, 0], shape: [1, 6]), mask = Tensor(int32: [1, 1, 1, 1, 0, 0], shape: [1, 6])
        let padded = try model(ids: ids, mask: mask)[0, 0..<4]
        let short = try model(ids: ids[.all, 0..<4], mask: mask[.all, 0..<4])[0]
        XCTAssertLessThan(try maxAbsDifference(padded, short), 1e-5)
        XCTAssertThrowsError(try model(ids: ids, mask: Tensor.ones([1, 5])))
    }

    func testFoldersLoadFromBinAndSafetensorsAndEncoderReleases() throws {
        let bin = fixturesDirectory.appendingPathComponent("t5_checkpoint/bin").path
        let safe = fixturesDirectory.appendingPathComponent("t5_checkpoint/safetensors").path
        let a = try TextEncoder(folder: bin, maxLength: 12), b = try TextEncoder(folder: safe, maxLength: 12)
        let (ya, ma) = try a.encode(["a red circle moving left", ""])
        let (yb, mb) = try b.encode(["a red circle moving left", ""])
        XCTAssertEqual(ya.shape, [2, 1, 12, 24])
        XCTAssertEqual(try ma.toInt32Array(), try mb.toInt32Array())
        XCTAssertLessThan(try maxAbsDifference(ya, yb), 1e-6)
        // bf16 storage, float32 compute: close to the float32 result.
        let half = try TextEncoder(folder: bin, maxLength: 12, storageDType: .bfloat16)
        XCTAssertEqual(half.model?.shared.weight.dtype, .bfloat16)
        let (yh, _) = try half.encode(["a red circle moving left", ""])
        XCTAssertEqual(yh.dtype, .float32)
        XCTAssertLessThan(try maxAbsDifference(yh, ya), 0.1)
        a.release()
        XCTAssertNil(a.model)
        XCTAssertThrowsError(try a.encode(["x"])) { XCTAssertTrue("\($0)".contains("released")) }
        XCTAssertThrowsError(try TextEncoder(folder: fixturesDirectory.path)) { XCTAssertTrue("\($0)".contains("config.json"), "\($0)") }
    }

    func testTruncatedBinShardIsAClearError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = fixturesDirectory.appendingPathComponent("t5_checkpoint/bin/pytorch_model-00001-of-00003.bin")
        let data = try Data(contentsOf: source)
        let broken = dir.appendingPathComponent("pytorch_model.bin")
        try data.prefix(data.count - 200).write(to: broken)
        XCTAssertThrowsError(try TorchCheckpoint.load(broken.path)) { XCTAssertTrue("\($0)".contains("pytorch_model.bin"), "\($0)") }
        let shard = try TorchCheckpoint.load(source.path)
        XCTAssertFalse(shard.isEmpty)
    }
}
