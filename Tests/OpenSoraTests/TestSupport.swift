import Foundation
import MLXTensor
import OpenSora
@testable import OpenSoraParity
import XCTest

/// Tests/Fixtures, found from this file's path.
let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

func maxAbsDifference(_ a: Tensor, _ b: Tensor) throws -> Float {
    try (a - b).abs().max().item()
}

/// A fresh temporary folder, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("opensora-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Asserts that a catalog model's layout equals the official one in the layout fixture, entry by
/// entry (reporting the first difference), and returns it for further checks.
@discardableResult
func assertLayoutEqualsOfficial(_ id: String, officialNamePrefix: String, file: StaticString = #filePath, line: UInt = #line) throws -> ModelLayout {
    let official = try ModelLayout.fromFixture(fixturesDirectory.appendingPathComponent("parity/checkpoint.layout__released.json"))
    let got = try ModelCatalog.layout(id)
    guard let want = official.first(where: { $0.name.hasPrefix(officialNamePrefix) }) else {
        XCTFail("the layout fixture has no \(officialNamePrefix)", file: file, line: line)
        return got
    }
    XCTAssertEqual(got.entries.count, want.entries.count, file: file, line: line)
    if let i = zip(got.entries, want.entries).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
        XCTFail("entry \(i): got \(got.entries[i]), official \(want.entries[i])", file: file, line: line)
    }
    return got
}
