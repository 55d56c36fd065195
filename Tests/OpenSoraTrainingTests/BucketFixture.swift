// Reference: shared/fixtures/parity/README.md (training.bucket): the fixture these tests read, key order kept.
import Foundation
import OpenSoraTraining
import XCTest

/// The training.bucket fixture, parsed with its key order.
enum BucketFixture {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/parity/training.bucket__cases.json")

    static func load() throws -> ConfigLiteral {
        let data = try Data(contentsOf: url)
        return try ConfigLiteral(parsing: String(decoding: data, as: UTF8.self))
    }
}

/// The value at `key` of an object, or a test failure naming the key.
func field(_ value: ConfigLiteral, _ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> ConfigLiteral {
    try XCTUnwrap(value[key], "no key \(key)", file: file, line: line)
}
