import Foundation
@testable import OpenSoraTraining
import XCTest

/// A real crash: this test binary is re-run as a child that starts writing a checkpoint and is SIGKILLed mid-write.
final class CheckpointCrashTests: XCTestCase {
    static let folderVariable = "OPENSORA_CHECKPOINT_CRASH_DIR"

    /// The child's part: write step 20 and stall after the first file until killed. Skipped unless run as the child.
    func testChildWritesUntilKilled() throws {
        guard let experiment = ProcessInfo.processInfo.environment[Self.folderVariable] else {
            throw XCTSkip("runs only as the child of testKillMidWriteKeepsThePreviousCheckpoint")
        }
        try CheckpointFixture.checkpoint(globalStep: 20).0.save(in: experiment, keepLast: 1) { _ in
            FileManager.default.createFile(atPath: (experiment as NSString).appendingPathComponent("writing"), contents: Data())
            Thread.sleep(forTimeInterval: 60)
        }
    }

    func testKillMidWriteKeepsThePreviousCheckpoint() throws {
        #if !os(Linux)
        throw XCTSkip("finds its own executable through /proc/self/exe (Linux)")
        #endif
        let experiment = try CheckpointFixture.folder()
        let previous = try CheckpointFixture.checkpoint(globalStep: 10).0.save(in: experiment)
        try KilledChild.run(test: "CheckpointCrashTests/testChildWritesUntilKilled", environment: [Self.folderVariable: experiment],
                            marker: (experiment as NSString).appendingPathComponent("writing"), timeout: 20)

        let names = try FileManager.default.contentsOfDirectory(atPath: experiment)
        XCTAssertFalse(names.contains("epoch0-global_step20"), "nothing half-written under a final name")
        XCTAssertTrue(names.contains { $0.hasPrefix(".epoch0-global_step20.") && $0.hasSuffix(".tmp") }, "the write was cut: \(names)")
        XCTAssertEqual(TrainingCheckpoint.latest(in: experiment), previous)
        XCTAssertEqual(try TrainingCheckpoint.load(from: previous).checkpoint.progress.globalStep, 10)
    }
}
