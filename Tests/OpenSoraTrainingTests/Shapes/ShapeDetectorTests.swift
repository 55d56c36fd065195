import OpenSora
@testable import OpenSoraTraining
import XCTest

final class ShapeDetectorTests: XCTestCase {
    func frames(_ count: Int, _ pixel: (Int, Int, Int) -> (UInt8, UInt8, UInt8)) -> VideoFrames {
        var rgb = [UInt8]()
        for f in 0..<count { for y in 0..<64 { for x in 0..<64 { let p = pixel(f, y, x); rgb += [p.0, p.1, p.2] } } }
        return VideoFrames(count: count, size: VideoSize(height: 64, width: 64), rgb: rgb)
    }

    func testAStillShapeHasNoDirectionAndAnEmptyClipNothing() {
        let still = frames(17) { _, y, x in (x >= 20 && x < 40 && y >= 20 && y < 40) ? (0, 250, 0) : (0, 0, 0) }
        let d = ShapeDetector.detect(still)
        XCTAssertEqual(d.color, .green)
        XCTAssertEqual(d.shape, .square)
        XCTAssertNil(d.direction)
        XCTAssertEqual(d.fillRatio, 1, accuracy: 1e-12)
        let empty = ShapeDetector.detect(frames(17) { _, _, _ in (10, 10, 10) })
        XCTAssertEqual(empty.framesWithShape, 0)
        XCTAssertNil(empty.color)
        XCTAssertNil(empty.shape)
        XCTAssertNil(empty.direction)
    }

    func testDiagonalOrTooShortMotionHasNoDirection() {
        let diagonal = frames(17) { f, y, x in (x >= 5 + 2 * f && x < 21 + 2 * f && y >= 5 + 2 * f && y < 21 + 2 * f) ? (255, 255, 255) : (0, 0, 0) }
        XCTAssertNil(ShapeDetector.detect(diagonal).direction)
        let creeping = frames(17) { f, y, x in (x >= 20 + f / 4 && x < 36 + f / 4 && y >= 20 && y < 36) ? (255, 255, 255) : (0, 0, 0) }
        XCTAssertNil(ShapeDetector.detect(creeping).direction)
        let moving = frames(17) { f, y, x in (x >= 40 - 2 * f && x < 56 - 2 * f && y >= 20 && y < 36) ? (255, 0, 255) : (0, 0, 0) }
        let d = ShapeDetector.detect(moving)
        XCTAssertEqual(d.direction, .left)
        XCTAssertEqual(d.color, .magenta)
        XCTAssertEqual(d.displacement[0], -32, accuracy: 1e-9)
    }

    func testDimOrNoisyColoursGoToTheNearestOfTheSeven() {
        XCTAssertEqual(ShapeDetector.nearestColor((200, 190, 40)), .yellow)
        XCTAssertEqual(ShapeDetector.nearestColor((30, 180, 170)), .cyan)
        XCTAssertEqual(ShapeDetector.nearestColor((140, 140, 150)), .white)
        XCTAssertEqual(ShapeDetector.nearestColor((160, 20, 30)), .red)
        XCTAssertNil(ShapeDetector.nearestColor((0, 0, 0)))
        XCTAssertEqual(ShapeDetector.shape(fill: 0.52), .triangle)
        XCTAssertEqual(ShapeDetector.shape(fill: 0.78), .circle)
        XCTAssertEqual(ShapeDetector.shape(fill: 0.95), .square)
    }
}
