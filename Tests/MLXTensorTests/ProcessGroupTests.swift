import MLXTensor
import XCTest

/// A process started without a launcher is a group of one: collectives are identities.
final class ProcessGroupTests: XCTestCase {
    func testSingletonGroup() throws {
        let group = try ProcessGroup()
        XCTAssertEqual(group.rank, 0)
        XCTAssertEqual(group.size, 1)
        let x = Tensor([1, 2, 3])
        XCTAssertEqual(try group.allSum(x).toArray(), [1, 2, 3])
        XCTAssertEqual(try group.allGather(x).toArray(), [1, 2, 3])
    }

    func testRuntimeFacts() {
        XCTAssertEqual(Runtime.version, "0.32.4")
    }
}
