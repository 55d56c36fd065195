import OpenSora
@testable import OpenSoraTraining
import XCTest

final class BucketTests: XCTestCase {
    func bucket(_ text: String) throws -> Bucket { try Bucket(BucketConfig(parsing: text)) }

    /// Descending nominal pixels; equal counts (2880 and 4k: 8294400) keep the config's order.
    func testOrderingIdsAndCounts() throws {
        let b = try bucket(#"{"144p": {1: (1, 2), 51: (1, 2)}, "4k": {1: (1, 1)}, "2880": {1: (1, 1)}, "256": {408: (1, 1), 51: (1, 1)}}"#)
        XCTAssertEqual(b.resolutionOrder.map(\.rawValue), ["4k", "2880", "256", "144p"])
        XCTAssertEqual(b.frameBucketIndices.map { "\($0.resolution)/\($0.frameCount)/\($0.index)" },
                       ["4k/1/0", "2880/1/1", "256/408/2", "256/51/3", "144p/51/4", "144p/1/5"])
        XCTAssertEqual(b.bucketCount, 17 + 40 + 2 * 40 + 2 * 17)
        XCTAssertEqual(b.aspectRatioKeyCounts.map(\.count), [17, 40, 40, 17])
        XCTAssertEqual(b.pixelCriteria.map(\.pixels), [8_294_400, 8_294_400, 65536, 36864])
        let r = try Resolution("2880")
        let b2 = try bucket(#"{"2880": {1: (1, 1)}, "4k": {1: (1, 1)}}"#)
        XCTAssertEqual(b2.resolutionOrder.first, r)
    }

    /// Lengths must be strictly exceeded (× frame interval); images take only the 1 bucket; ≥ 0.8 of the pixels.
    func testDeterministicLookups() throws {
        let b = try Bucket(BucketConfig.stage1.alwaysKept)
        func id(_ t: Int, _ h: Int, _ w: Int, _ fi: Int = 1) throws -> String {
            try b.bucketID(numFrames: t, height: h, width: w, frameInterval: fi, seed: 42).map(\.description) ?? "nil"
        }
        XCTAssertEqual(try id(51, 144, 256), "nil")
        XCTAssertEqual(try id(52, 144, 256), "(144p, 51, 0.56)")
        XCTAssertEqual(try id(103, 144, 256, 2), "(144p, 51, 0.56)")
        XCTAssertEqual(try id(104, 144, 256, 2), "(144p, 51, 0.56)")
        XCTAssertEqual(try id(1, 720, 1280), "(1024, 1, 0.57)", "720p frames reach 88 % of 1024², a larger table")
        XCTAssertEqual(try id(1, 1080, 1920), "(1080p, 1, 0.56)")
        XCTAssertEqual(try id(409, 480, 640), "(360p, 408, 0.75)")
        XCTAssertEqual(try id(1, 100, 100), "nil", "below 0.8 × 144p")
        XCTAssertEqual(try id(60, 0, 640), "nil")
        let shape = try b.shape(BucketID(resolution: Resolution("360p"), frameCount: 408, aspectRatioKey: "0.75"))
        XCTAssertEqual(shape, BucketShape(frameCount: 408, size: VideoSize(height: 416, width: 554)))
    }

    /// A tuple keep draws the length test and then the resolution test from the same generator.
    func testDrawTraceOfATupleKeep() throws {
        let b = try bucket(#"{"144p": {1: (1.0, 4), 51: ((0.5, 1.0), 2)}}"#)
        let a = try b.assignment(numFrames: 60, height: 144, width: 256, seed: 10)
        var rng = NumPyRandom(seed: 10)
        let first = rng.random(), second = rng.random()
        XCTAssertEqual(a.draws, [RandomDraws(seed: 10, values: [first, second])])
        XCTAssertEqual(a.id?.frameCount, second < 0.5 ? 51 : nil)
        let image = try b.assignment(numFrames: 1, height: 144, width: 256, seed: 10)
        var imageRNG = NumPyRandom(seed: 11)
        XCTAssertEqual(image.draws, [RandomDraws(seed: 11, values: [imageRNG.random()])])
        XCTAssertEqual(image.id?.frameCount, 1)
    }

    func testUnknownBucketsAndBadArgumentsAreTypedErrors() throws {
        let b = try Bucket(BucketConfig.stage1)
        let missing = BucketID(resolution: try Resolution("512"), frameCount: 51, aspectRatioKey: "1.0")
        XCTAssertThrowsError(try b.shape(missing)) { XCTAssertEqual($0 as? BucketError, .unknownBucket(missing)) }
        XCTAssertThrowsError(try b.batchSize(BucketID(resolution: try Resolution("512"), frameCount: 1, aspectRatioKey: "1.00")))
        XCTAssertEqual(try b.batchSize(BucketID(resolution: try Resolution("512"), frameCount: 1, aspectRatioKey: "1.0")), 141)
        XCTAssertThrowsError(try b.bucketID(numFrames: 60, height: 144, width: 256, frameInterval: 0, seed: 1)) {
            XCTAssertEqual($0 as? BucketError, .invalidFrameInterval(0))
        }
        XCTAssertThrowsError(try b.bucketID(numFrames: 60, height: 480, width: 640, seed: .max)) {
            XCTAssertTrue("\($0)".contains("\(UInt64.max)"), "\($0)")
        }
    }
}
