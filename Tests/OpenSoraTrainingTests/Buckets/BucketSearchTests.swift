import OpenSora
@testable import OpenSoraTraining
import XCTest

final class BucketSearchTests: XCTestCase {
    func testApproximateResolutionTakesTheFirstReachedInTableOrder() {
        let table = [("1080p", 2_073_600), ("720p", 921_600), ("144p", 36864)]
        XCTAssertEqual(BucketSearch.approximateResolution(pixels: 1_658_880, criteria: table), "1080p")
        XCTAssertEqual(BucketSearch.approximateResolution(pixels: 1_658_879, criteria: table), "720p")
        XCTAssertNil(BucketSearch.approximateResolution(pixels: 20000, criteria: table))
    }

    func testClosestSmallerFrameBucketIsNotStrict() {
        let table = [(408, 408), (204, 204), (51, 51), (1, 1)]
        XCTAssertEqual(BucketSearch.closestSmallerFrameBucket(51, table: table, frameInterval: 1), 51)
        XCTAssertEqual(BucketSearch.closestSmallerFrameBucket(103, table: table, frameInterval: 2), 51)
        XCTAssertEqual(BucketSearch.closestSmallerFrameBucket(1, table: table, frameInterval: 1), 1)
        XCTAssertNil(BucketSearch.closestSmallerFrameBucket(1, table: [(51, 51)], frameInterval: 1))
        XCTAssertNil(BucketSearch.closestSmallerFrameBucket(50, table: table, frameInterval: 1))
    }

    func testClosestSmallerValue() {
        XCTAssertEqual(BucketSearch.closestSmallerValue(0, in: [1, 51, 102]), 1)
        XCTAssertEqual(BucketSearch.closestSmallerValue(101, in: [1, 51, 102]), 51)
        XCTAssertEqual(BucketSearch.closestSmallerValue(900, in: [1, 51, 102]), 102)
        XCTAssertNil(BucketSearch.closestSmallerValue(3, in: []))
    }

    func testRatioValuesAndEstimatedSizes() throws {
        XCTAssertEqual(try ResolutionTable.ratioValue("9:16"), 0.5625)
        XCTAssertEqual(ResolutionTable.namedRatioValues.count, 17)
        XCTAssertThrowsError(try ResolutionTable.ratioValue("9x16")) { XCTAssertTrue("\($0)".contains("9x16")) }
        XCTAssertThrowsError(try ResolutionTable.ratioValue("9:0"))
        let sizes = ResolutionTable.estimatedSizes(ratios: [0.5625, 1.0, 1.0001], pixels: 230_400)
        XCTAssertEqual(sizes.map(\.key), ["0.56", "1.00"], "a repeated key keeps its first place")
        XCTAssertEqual(sizes[0].size, VideoSize(height: 360, width: 640))
        XCTAssertEqual(sizes[1].size, ResolutionTable.heightWidth(ratio: 1.0001, pixels: 230_400), "and takes the last value")
    }
}
