import Foundation
import MLXTensor
@testable import OpenSoraParity
import XCTest

/// The vae.training_loss fixtures through the harness with the CPU kernels on and off, and checks
/// that the comparison notices a wrong stage flag or a wrong KL.
final class VAETrainingLossParityTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/parity")

    var files: [URL] { ParityFixture.files(in: Self.fixtures).filter { $0.lastPathComponent.hasPrefix("vae.training_loss__") } }

    func testEveryPublicCaseMatchesWithAndWithoutCPUKernels() throws {
        XCTAssertEqual(files.count, 5)
        for kernels in [true, false] {
            try CPUKernels.withEnabled(kernels) {
                for url in files {
                    let outcome = ParityHarness().run(url)
                    print(outcome.line)
                    XCTAssertEqual(outcome.status, .ok, "kernels \(kernels): \(outcome.line)")
                }
            }
        }
    }

    /// A fixture with one metadata JSON object changed by `edit`.
    func editing(_ name: String, _ key: String, _ edit: (inout [String: Any]) -> Void) throws -> ParityFixture {
        let f = try ParityFixture.load(Self.fixtures.appendingPathComponent(name))
        var config = try f.jsonMetadata("config")
        var part = config[key] as? [String: Any] ?? [:]
        edit(&part)
        config[key] = part
        var metadata = f.metadata
        metadata["config"] = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        return ParityFixture(url: f.url, kind: f.kind, metadata: metadata, tensors: f.tensors, json: nil)
    }

    func testAWrongStageFlagFails() throws {
        let flipped = try editing("vae.training_loss__stage2_video_t17_b2.safetensors", "stage") { $0["use_real_rec_loss"] = true }
        guard case .checked(_, let passed, let detail) = try VAETrainingLossRunner().run(flipped) else { return XCTFail("not checked") }
        XCTAssertFalse(passed)
        XCTAssertTrue(detail.contains("loss"), detail)
        let identity = try editing("vae.training_loss__stage1_image_t1_b2.safetensors", "stage") { $0["use_image_identity_loss"] = false }
        guard case .checked(_, let ok, let why) = try VAETrainingLossRunner().run(identity) else { return XCTFail("not checked") }
        XCTAssertFalse(ok)
        XCTAssertTrue(why.contains("identity loss applied: false"), why)
    }

    func testTheTinyKLIsComparedRelatively() throws {
        // A KL weight 0.1 % off is far inside atol 1e-4 for a 1e-5 value, but not inside rtol.
        let off = try editing("vae.training_loss__stage3_random_t11.safetensors", "loss") { $0["kl_loss_weight"] = 1.001e-6 }
        guard case .checked(_, let passed, let detail) = try VAETrainingLossRunner().run(off) else { return XCTFail("not checked") }
        XCTAssertFalse(passed)
        XCTAssertTrue(detail.contains("kl_loss"), detail)
    }
}
