import MLXTensor
import OpenSora
@testable import OpenSoraTraining
import XCTest

final class MixedLengthStrategyTests: XCTestCase {
    func testVideoImageKeepsOneFrameBelowTheRatioAndTheWholeClipOtherwise() throws {
        let s = MixedLengthStrategy.videoImage
        XCTAssertEqual(try s.keptFrames(of: 17, draw: 0, imageRatio: 0.2), 1)
        XCTAssertEqual(try s.keptFrames(of: 17, draw: 0.1999, imageRatio: 0.2), 1)
        XCTAssertEqual(try s.keptFrames(of: 17, draw: 0.2, imageRatio: 0.2), 17)  // random() < ratio is strict
        XCTAssertEqual(try s.keptFrames(of: 17, draw: 0.95, imageRatio: 0.2), 17)
        XCTAssertEqual(try s.keptFrames(of: 17, draw: 0.5, imageRatio: 0), 17)
        // Over an even grid of draws exactly 20 % of the steps are images.
        let kept = try (0..<1000).map { try s.keptFrames(of: 17, draw: (Double($0) + 0.5) / 1000, imageRatio: 0.2) }
        XCTAssertEqual(kept.filter { $0 == 1 }.count, 200)
        XCTAssertEqual(kept.filter { $0 == 17 }.count, 800)
    }

    func testVideoRandomCoversOneThroughTheClipLengthUniformly() throws {
        let s = MixedLengthStrategy.videoRandom
        XCTAssertEqual(try s.keptFrames(of: 33, draw: 0, imageRatio: 0), 1)
        XCTAssertEqual(try s.keptFrames(of: 33, draw: 10.5 / 33, imageRatio: 0), 11)
        XCTAssertEqual(try s.keptFrames(of: 33, draw: 0.99999, imageRatio: 0), 33)
        XCTAssertEqual(try s.keptFrames(of: 1, draw: 0.7, imageRatio: 0), 1)
        var counts = [Int: Int]()
        for i in 0..<(33 * 10) { counts[try s.keptFrames(of: 33, draw: (Double(i) + 0.5) / 330, imageRatio: 0), default: 0] += 1 }
        XCTAssertEqual(counts, Dictionary(uniqueKeysWithValues: (1...33).map { ($0, 10) }))
    }

    func testDrawsOutsideTheUnitIntervalAndEmptyClipsAreErrors() {
        XCTAssertThrowsError(try MixedLengthStrategy.videoRandom.keptFrames(of: 33, draw: 1, imageRatio: 0)) {
            XCTAssertTrue("\($0)".contains("[0, 1)"), "\($0)")
        }
        XCTAssertThrowsError(try MixedLengthStrategy.videoImage.keptFrames(of: 17, draw: -0.1, imageRatio: 0.2))
        XCTAssertThrowsError(try MixedLengthStrategy.videoImage.keptFrames(of: 0, draw: 0.5, imageRatio: 0.2)) {
            XCTAssertTrue("\($0)".contains("got 0"), "\($0)")
        }
        XCTAssertThrowsError(try VAETrainingStage().keptFrames(of: 17, draw: 2))
    }

    func testTheStageAppliesItsStrategyOrKeepsTheClip() throws {
        XCTAssertEqual(try VAETrainingStage.stage1.keptFrames(of: 17, draw: 0.1), 1)
        XCTAssertEqual(try VAETrainingStage.stage2.keptFrames(of: 17, draw: 0.3), 17)
        XCTAssertEqual(try VAETrainingStage.stage3.keptFrames(of: 33, draw: 0.5), 17)
        XCTAssertEqual(try VAETrainingStage().keptFrames(of: 17, draw: 0.1), 17)
    }

    func testTheCutKeepsTheFirstFrames() throws {
        let x = Tensor((0..<(2 * 5)).map(Float.init), shape: [1, 1, 10, 1, 1]).broadcast(to: [2, 3, 10, 2, 2])
        let cut = x.keepingFirstFrames(4)
        XCTAssertEqual(cut.shape, [2, 3, 4, 2, 2])
        XCTAssertEqual(try cut[1, 2, .all, 1, 0].toArray(), [0, 1, 2, 3])
    }
}
