@testable import OpenSoraTraining
import XCTest

final class TorchGeneratorTests: XCTestCase {
    /// The Mersenne Twister seeded like `manual_seed(42)` (= numpy's legacy `RandomState(42)` raw words).
    func testRawWordsMatchMT19937() {
        var g = TorchGenerator(seed: 42)
        XCTAssertEqual((0..<3).map { _ in g.nextUInt32() }, [1_608_637_542, 3_421_126_067, 4_083_286_876])
        var d = TorchGenerator(seed: 5489)
        XCTAssertEqual(d.nextUInt32(), 3_499_211_612)
        for _ in 1..<9999 { _ = d.nextUInt32() }
        XCTAssertEqual(d.nextUInt32(), 4_123_659_995, "std::mt19937's 10000th output")
    }

    /// `torch.randperm(n, generator=g)` values from torch (CPU), consecutive calls on one generator.
    func testRandomPermutationMatchesTorch() throws {
        var g = TorchGenerator(seed: 42)
        XCTAssertEqual(try g.randomPermutation(10), [2, 6, 1, 8, 4, 5, 0, 9, 3, 7])
        XCTAssertEqual(try g.randomPermutation(7), [0, 5, 6, 1, 4, 2, 3])
        var h = TorchGenerator(seed: 43)
        XCTAssertEqual(Array(try h.randomPermutation(1000).prefix(8)), [588, 148, 223, 575, 689, 935, 932, 343])
    }

    /// n = 0 and 1 draw nothing; a negative length is refused with the accepted range.
    func testShortAndInvalidLengths() throws {
        var g = TorchGenerator(seed: 1), fresh = TorchGenerator(seed: 1)
        XCTAssertEqual(try g.randomPermutation(0), [])
        XCTAssertEqual(try g.randomPermutation(1), [0])
        XCTAssertEqual(g.nextUInt32(), fresh.nextUInt32())
        XCTAssertThrowsError(try g.randomPermutation(-1)) { error in
            XCTAssertTrue("\(error)".contains("-1"), "\(error)")
        }
    }
}
