import Foundation
import MLXTensor
import XCTest

/// Tests/Fixtures, found from this file's path so tests run from any working directory.
let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

/// numpy's allclose rule, element-wise: |got − want| ≤ atol + rtol·|want|.
func assertClose(_ got: Tensor, _ want: Tensor, atol: Float = 1e-5, rtol: Float = 1e-5,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) throws {
    XCTAssertEqual(got.shape, want.shape, "shape \(message)", file: file, line: line)
    guard got.shape == want.shape else { return }
    let g = try got.toArray(), w = try want.toArray()
    var worst: (Int, Float) = (-1, 0)
    for i in g.indices {
        let err = abs(g[i] - w[i])
        if !(err <= atol + rtol * abs(w[i])) && err >= worst.1 || g[i].isNaN != w[i].isNaN { worst = (i, err) }
    }
    if worst.0 >= 0 {
        XCTFail("\(message): element \(worst.0) got \(g[worst.0]) want \(w[worst.0])", file: file, line: line)
    }
}

func assertClose(_ got: [Float], _ want: [Float], atol: Float = 1e-5, rtol: Float = 1e-5,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) throws {
    try assertClose(Tensor(got), Tensor(want), atol: atol, rtol: rtol, message, file: file, line: line)
}
