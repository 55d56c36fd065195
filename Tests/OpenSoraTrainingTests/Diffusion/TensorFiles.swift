import Foundation
import MLXTensor
import XCTest

/// Bitwise comparison of two safetensors files' tensors.
enum TensorFiles {
    static func assertBitwiseEqual(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let x = try Safetensors.load(a).tensors, y = try Safetensors.load(b).tensors
        XCTAssertEqual(Set(x.keys), Set(y.keys), "tensor names of \(a) and \(b)", file: file, line: line)
        for (name, t) in x {
            guard let u = y[name] else { continue }
            XCTAssertEqual(t.shape, u.shape, name, file: file, line: line)
            XCTAssertEqual(try t.asType(.float32).toArray() as [Float], try u.asType(.float32).toArray() as [Float],
                           "\(name) differs between \((a as NSString).lastPathComponent) files", file: file, line: line)
        }
    }
}
