import MLXTensor
@testable import OpenSora
import XCTest

/// Closed forms of the metrics beyond the fixtures.
final class VideoQualityTests: XCTestCase {
    func testPSNROfAConstantOffsetAndTheCap() {
        let a = [Float](repeating: 0.5, count: 300)
        XCTAssertEqual(VideoQuality.psnr(a[...], a.map { $0 + 0.1 }[...]), 20, accuracy: 1e-4)  // mse 0.01
        XCTAssertEqual(VideoQuality.psnr(a[...], a[...]), 100)
    }

    func testSSIMOfIdenticalAndOfBlackAgainstWhite() {
        let n = 16 * 16
        let x = (0..<n).map { Double($0 % 7) / 7 }
        XCTAssertEqual(VideoQuality.ssim(x, x, height: 16, width: 16), 1, accuracy: 1e-12)
        let c1 = 0.01 * 0.01
        let black = [Double](repeating: 0, count: n), white = [Double](repeating: 1, count: n)
        XCTAssertEqual(VideoQuality.ssim(black, white, height: 16, width: 16), c1 / (1 + c1), accuracy: 1e-12)
        XCTAssertTrue(VideoQuality.ssim(black, white, height: 10, width: 16).isNaN)
    }

    func testMismatchedShapesAndChannelCountsAreErrors() {
        XCTAssertThrowsError(try VideoQuality.evaluate(real: Tensor.zeros([1, 2, 3, 16, 16]), generated: Tensor.zeros([1, 3, 3, 16, 16])))
        XCTAssertThrowsError(try VideoQuality.evaluate(real: Tensor.zeros([1, 2, 2, 16, 16]), generated: Tensor.zeros([1, 2, 2, 16, 16]))) {
            XCTAssertTrue("\($0)".contains("2 channels"))
        }
    }

    func testDriverWeighsBatchesNotVideos() {
        XCTAssertEqual(VideoQuality.driverMetric([[10, 20], [40, 40]]), 27.5)
    }
}
