import Foundation
import MLXTensor
@testable import OpenSora
import XCTest

/// Ulysses sequence parallelism over two real processes equals one process: the STDiT3 output for
/// videos and images, with and without caption/frame masks, on the tiny preset and a mid-size
/// model, and the training gradients (world-averaged as the trainer does it).
final class SequenceParallelTests: XCTestCase {
    func assertTwoRanksEqualOne(_ c: ParallelCase, tolerance: Float, file: StaticString = #filePath, line: UInt = #line) throws {
        let one = try c.run(group: .single)
        let two = try ParallelLaunch.results(of: c, file: file, line: line)
        XCTAssertEqual(Set(two.keys), Set(one.keys), file: file, line: line)
        for (name, want) in one.sorted(by: { $0.key < $1.key }) {
            let got = try XCTUnwrap(two[name], name, file: file, line: line)
            XCTAssertEqual(got.shape, want.shape, name, file: file, line: line)
            let scale = max(try want.abs().max().item(), 1e-12)
            XCTAssertLessThanOrEqual(try maxAbsDifference(got, want), tolerance * scale, name, file: file, line: line)
        }
    }

    func testTinyVideo() throws { try assertTwoRanksEqualOne(.tinyVideo, tolerance: 1e-5) }
    func testTinyImage() throws { try assertTwoRanksEqualOne(.tinyImage, tolerance: 1e-5) }
    func testTinyVideoWithCaptionAndFrameMasks() throws { try assertTwoRanksEqualOne(.tinyVideoMasked, tolerance: 1e-5) }
    func testMidSizeVideoWithMasks() throws { try assertTwoRanksEqualOne(.midVideoMasked, tolerance: 1e-5) }

    /// Every parameter's gradient, embedders (before the token split) and blocks (inside it) alike.
    func testTrainingGradientsEqualOneProcess() throws { try assertTwoRanksEqualOne(.gradients, tolerance: 1e-5) }
    func testTrainingGradientsWithRecomputedBlocks() throws { try assertTwoRanksEqualOne(.gradientsCheckpointed, tolerance: 1e-5) }

    /// The all-to-all: chunk j of each rank's rows goes to rank j, concatenated along columns in
    /// source order; its vjp equals central finite differences of the loss summed over ranks.
    func testExchangeAndItsVJPAgainstFiniteDifferences() throws {
        let r = try ParallelLaunch.results(of: .exchange)
        let x = try XCTUnwrap(r["inputs"]), y = try XCTUnwrap(r["outputs"])
        XCTAssertEqual(y.shape, [2, 2, 12])
        for dst in 0..<2 {
            let want = Tensor.concatenate((0..<2).map { src in x[src, (2 * dst)..<(2 * dst + 2)] }, axis: 1)
            XCTAssertEqual(try y[dst].toArray(), try want.toArray())
        }
        let analytic = try XCTUnwrap(r["analytic"]), numeric = try XCTUnwrap(r["numeric"])
        XCTAssertGreaterThan(try analytic.abs().max().item(), 0.1)
        XCTAssertLessThanOrEqual(try maxAbsDifference(analytic, numeric), 2e-3)
    }

    /// Bytes a rank sends in one tiny forward (B 2, T 3, 16 tokens a frame, C 64, 2 spatial blocks), worked out by
    /// hand: per spatial block an all-gather of its qkv share (2·3·8·192 floats) and of the attention output
    /// (2·3·8·64), then the final gather of the tokens (2·3·8·64); each sends one peer its 4-byte floats.
    func testTrafficOfOneForwardIsTheFormula() throws {
        let r = try ParallelLaunch.results(of: .traffic)
        let qkv = 2 * 3 * 8 * 192 * 4, out = 2 * 3 * 8 * 64 * 4
        XCTAssertEqual(try r["calls"]!.toInt32Array(), [5])
        XCTAssertEqual(try r["bytes"]!.toInt32Array(), [Int32(2 * (qkv + out) + out)])
        XCTAssertEqual(try ParallelCase.traffic.run(group: .single)["bytes"]!.toInt32Array(), [0])
    }

    func testTokensThatDoNotDivideAreATypedError() throws {
        let model = try STDiT3(.tiny, key: RandomKey(seed: 1))
        let world = ParallelGroup(rank: 0, members: [0, 1], process: nil, emulatedOver: nil)
        model.sequenceParallel = world
        XCTAssertThrowsError(try model(Tensor.zeros([1, 4, 1, 6, 6]), timestep: Tensor([1]), caption: Tensor.zeros([1, 1, 8, 32]),
                                       fps: Tensor([24]), height: 48, width: 48)) {
            XCTAssertTrue("\($0)".contains("3×3 = 9 tokens per frame"), "\($0)")
        }
    }
}
