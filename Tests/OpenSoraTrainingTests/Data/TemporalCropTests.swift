@testable import OpenSoraTraining
import XCTest

final class TemporalCropTests: XCTestCase {
    /// rand_end = max(0, total − T·interval − 1): the reference never starts at the last possible frame.
    func testStartRange() {
        XCTAssertEqual(TemporalCrop(frameCount: 4).starts(totalFrames: 10), 0...5)
        XCTAssertEqual(TemporalCrop(frameCount: 4).starts(totalFrames: 5), 0...0)
        XCTAssertEqual(TemporalCrop(frameCount: 4, frameInterval: 2).starts(totalFrames: 20), 0...11)
        XCTAssertEqual(TemporalCrop(frameCount: 4).starts(totalFrames: 3), 0...0)
    }

    func testIndicesFollowLinspace() {
        XCTAssertEqual(TemporalCrop(frameCount: 4).indices(totalFrames: 10, begin: 3), [3, 4, 5, 6])
        // interval 2: linspace(2, 9, 4) = 2, 4.33, 6.67, 9 → 2, 4, 6, 9.
        XCTAssertEqual(TemporalCrop(frameCount: 4, frameInterval: 2).indices(totalFrames: 20, begin: 2), [2, 4, 6, 9])
        // A clip shorter than the window but not than T is squeezed: linspace(0, 5, 4) → 0, 1, 3, 5.
        XCTAssertEqual(TemporalCrop(frameCount: 4, frameInterval: 2).indices(totalFrames: 6, begin: 0), [0, 1, 3, 5])
        XCTAssertEqual(TemporalCrop(frameCount: 1).indices(totalFrames: 7, begin: 2), [2])
        XCTAssertNil(TemporalCrop(frameCount: 4).indices(totalFrames: 3, begin: 0))
    }
}
