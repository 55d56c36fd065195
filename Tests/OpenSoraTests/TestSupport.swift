import Foundation
import MLXTensor
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
