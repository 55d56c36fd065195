import MLXTensor
import XCTest

func assertClose(_ got: [Float], _ want: [Float], accuracy: Float = 1e-5, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(got.count, want.count, message, file: file, line: line)
    for (i, (g, w)) in zip(got, want).enumerated() where !(abs(g - w) <= accuracy + accuracy * abs(w)) {
        XCTFail("\(message): element \(i) got \(g) want \(w)", file: file, line: line)
        return
    }
}
