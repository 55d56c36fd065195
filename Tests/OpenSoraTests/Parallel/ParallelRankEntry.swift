import Foundation
import MLXTensor
@testable import OpenSora
import XCTest

/// One rank of a launch the parallel tests start (`opensora launch -n 2 -- <this test binary>
/// OpenSoraTests.ParallelRankEntry/testRank`); skipped when run any other way.
final class ParallelRankEntry: XCTestCase {
    static let caseVariable = "OPENSORA_TEST_PARALLEL_CASE", outputVariable = "OPENSORA_TEST_PARALLEL_OUT"
    /// `die` or `hang`: what rank 1 does instead of its part of the case (after joining the world).
    static let faultVariable = "OPENSORA_TEST_PARALLEL_FAULT"

    func testRank() throws {
        let env = ProcessInfo.processInfo.environment
        guard let name = env[Self.caseVariable], let out = env[Self.outputVariable] else {
            throw XCTSkip("a rank of the parallel tests; they start it with \(Self.caseVariable) set")
        }
        let parallelCase = try XCTUnwrap(ParallelCase(rawValue: name))
        let world = try ParallelWorld.current()
        XCTAssertEqual(world.size, 2)
        if world.rank == 1 {
            switch env[Self.faultVariable] {
            case "die": kill(getpid(), SIGKILL)
            case "hang": while true { sleep(60) }
            default: break
            }
        }
        let results = try parallelCase.run(group: world.group)
        // Every rank takes part in the collectives, not just the writer, and in the same order.
        for name in results.keys.sorted() { try results[name]!.eval() }
        if world.isWriter { try Tensor.save(safetensors: out, results) }
    }
}
