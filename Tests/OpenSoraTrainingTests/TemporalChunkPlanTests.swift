import OpenSora
@testable import OpenSoraTraining
import XCTest

final class TemporalChunkPlanTests: XCTestCase {
    func testFrontPaddingToAMultipleOfFourPerChunk() {
        XCTAssertEqual(TemporalChunkPlan.chunks(frames: 1, microFrameSize: nil),
                       [TemporalChunk(frames: 1, frontPadding: 3, latentFrames: 1)])
        XCTAssertEqual(TemporalChunkPlan.chunks(frames: 11, microFrameSize: nil),
                       [TemporalChunk(frames: 11, frontPadding: 1, latentFrames: 3)])
        XCTAssertEqual(TemporalChunkPlan.chunks(frames: 16, microFrameSize: nil),
                       [TemporalChunk(frames: 16, frontPadding: 0, latentFrames: 4)])
        XCTAssertEqual(TemporalChunkPlan.chunks(frames: 34, microFrameSize: nil),
                       [TemporalChunk(frames: 34, frontPadding: 2, latentFrames: 9)])
    }

    func testSeventeenFrameChunksAreEachPaddedOnTheirOwn() {
        XCTAssertEqual(TemporalChunkPlan.chunks(frames: 33, microFrameSize: 17), [
            TemporalChunk(frames: 17, frontPadding: 3, latentFrames: 5), TemporalChunk(frames: 16, frontPadding: 0, latentFrames: 4),
        ])
        XCTAssertEqual(TemporalChunkPlan.chunks(frames: 35, microFrameSize: 17).map(\.frames), [17, 17, 1])
        XCTAssertEqual(TemporalChunkPlan.chunks(frames: 0, microFrameSize: 17), [])
    }

    func testLatentFramesAgreeWithTheVAEConfigForEveryLength() {
        var whole = VideoVAEConfig.tiny
        whole.microFrameSize = nil
        for frames in 1...70 {
            XCTAssertEqual(TemporalChunkPlan.chunks(frames: frames, microFrameSize: 17).map(\.latentFrames).reduce(0, +),
                           VideoVAEConfig.tiny.latentFrames(frames), "\(frames) frames")
            XCTAssertEqual(TemporalChunkPlan.chunks(frames: frames, microFrameSize: nil).map(\.latentFrames).reduce(0, +),
                           whole.latentFrames(frames), "\(frames) frames")
        }
    }
}
