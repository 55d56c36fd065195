import Foundation
import MLXTensor
import OpenSora
@testable import OpenSoraParity
import XCTest

/// Every fixture in Tests/Fixtures/parity and in $OPENSORA_PARITY_DIR, one line each. Any FAIL
/// fails the test; kinds without a runner are listed, never silently skipped.
final class ParityTests: XCTestCase {
    static let publicFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/parity")

    /// Every fixture with the CPU kernels on (the default) …
    func testAllFixtures() throws { try runAll(kernels: true) }

    /// … and with MLX's composed ops only (`OPENSORA_CPU_KERNELS=0`): both paths must match the reference.
    func testAllFixturesWithoutCPUKernels() throws { try runAll(kernels: false) }

    func runAll(kernels: Bool) throws {
        try CPUKernels.withEnabled(kernels) { try runAllFixtures(kernels: kernels) }
    }

    func runAllFixtures(kernels: Bool) throws {
        var folders = [Self.publicFixtures]
        if let extra = ProcessInfo.processInfo.environment["OPENSORA_PARITY_DIR"], !extra.isEmpty {
            folders.append(URL(fileURLWithPath: extra))
        }
        let files = folders.flatMap { ParityFixture.files(in: $0) }
        XCTAssertFalse(files.isEmpty, "no fixtures found in \(folders.map(\.path))")
        let harness = ParityHarness()
        var unsupported = [String: Int](), failed = 0, passed = 0
        for url in files {
            let outcome = harness.run(url)
            print(outcome.line)
            switch outcome.status {
            case .ok: passed += 1
            case .FAIL:
                failed += 1
                XCTFail(outcome.line)
            case .unsupported: unsupported[outcome.kind, default: 0] += 1
            }
        }
        let kinds = unsupported.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
        print("parity summary (CPU kernels \(kernels ? "on" : "off")): \(passed) ok, \(failed) FAIL, \(unsupported.values.reduce(0, +)) unsupported"
              + (kinds.isEmpty ? "" : " — kinds without a runner yet: \(kinds.joined(separator: ", "))"))
    }
}
