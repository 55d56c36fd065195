import Foundation
import MLXTensor
@testable import OpenSora
@testable import OpenSoraParity
import XCTest

/// The harness itself: allclose with the fixture's tolerance, missing outputs, NaN handling.
final class ParityHarnessTests: XCTestCase {
    struct Echo: ParityRunner {
        let outputs: [String: Tensor]
        func run(_ fixture: ParityFixture) throws -> ParityResult { .tensors(outputs) }
    }

    func fixture(_ want: [Float], atol: String = "0.01", rtol: String = "0") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("toy.kind__case-\(UUID().uuidString).safetensors")
        try Tensor.save(safetensors: url.path, ["out.y": Tensor(want), "in.x": Tensor([1])],
                        metadata: ["kind": "toy.kind", "atol": atol, "rtol": rtol])
        return url
    }

    func testTolerancesDecide() throws {
        let url = try fixture([1, 2, Float.nan])
        defer { try? FileManager.default.removeItem(at: url) }
        let pass = ParityHarness(runners: ["toy.kind": Echo(outputs: ["y": Tensor([1.005, 2, Float.nan])])]).run(url)
        XCTAssertEqual(pass.status, .ok, pass.line)
        XCTAssertEqual(pass.maxAbsError, 0.005, accuracy: 1e-6)
        let fail = ParityHarness(runners: ["toy.kind": Echo(outputs: ["y": Tensor([1.02, 2, Float.nan])])]).run(url)
        XCTAssertEqual(fail.status, .FAIL)
        XCTAssertTrue(fail.line.hasSuffix("(y: 1 of 3 elements outside tolerance)"), fail.line)
        let nanMismatch = ParityHarness(runners: ["toy.kind": Echo(outputs: ["y": Tensor([1, 2, 3])])]).run(url)
        XCTAssertEqual(nanMismatch.status, .FAIL)
    }

    func testMissingOutputsShapesAndUnknownKinds() throws {
        let url = try fixture([1, 2])
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertEqual(ParityHarness(runners: ["toy.kind": Echo(outputs: [:])]).run(url).status, .FAIL)
        XCTAssertEqual(ParityHarness(runners: ["toy.kind": Echo(outputs: ["y": Tensor([1, 2, 3])])]).run(url).status, .FAIL)
        let unknown = ParityHarness(runners: [:]).run(url)
        XCTAssertEqual(unknown.status, .unsupported)
        XCTAssertTrue(unknown.line.hasPrefix("parity \(url.path) "))
        XCTAssertTrue(unknown.line.hasSuffix(" unsupported"))
    }
}
