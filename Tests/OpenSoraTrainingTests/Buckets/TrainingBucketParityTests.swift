import Foundation
@testable import OpenSoraParity
import XCTest

/// The training.bucket runner passes on the fixture and fails on a tampered copy (it can fail).
final class TrainingBucketParityTests: XCTestCase {
    func testRunnerPassesOnTheFixture() throws {
        let outcome = ParityHarness().run(BucketFixture.url)
        XCTAssertEqual(outcome.status, .ok, outcome.line)
        print(outcome.line)
    }

    func testRunnerFailsWhenARowsBucketIsChanged() throws {
        var text = try String(contentsOf: BucketFixture.url, encoding: .utf8)
        let original = "\"bucket_id\": [\"144p\", 1, \"0.56\"]"
        let range = try XCTUnwrap(text.range(of: original))
        text.replaceSubrange(range, with: "\"bucket_id\": [\"144p\", 1, \"0.62\"]")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bucket-tamper-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("training.bucket__cases.json")
        try text.write(to: copy, atomically: true, encoding: .utf8)
        let outcome = ParityHarness().run(copy)
        XCTAssertEqual(outcome.status, .FAIL, outcome.line)
        XCTAssertTrue(outcome.line.contains("bucket_id"), outcome.line)
    }
}
