import Foundation
@testable import OpenSora
import XCTest

/// Config files are file-derived: a hand-written config.json whose numbers would divide by zero or
/// overflow in validation must be a typed error naming the key, not a trap.
final class ModelConfigMalformedTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func load<T: ModelConfig>(_ type: T.Type, _ json: String) throws -> T {
        let path = dir.appendingPathComponent("\(UUID().uuidString).json")
        try Data(json.utf8).write(to: path)
        return try ModelFolder.config(type, at: path.path)
    }

    func assertInvalid(_ validate: () throws -> Void, mentions word: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try validate(), file: file, line: line) {
            XCTAssertTrue("\($0)".contains(word), "'\(word)' not in: \($0)", file: file, line: line)
        }
    }

    func testSpatialVAENormGroupsZero() throws {
        let config = try load(SpatialVAEConfig.self, #"{"norm_num_groups": 0}"#)
        assertInvalid({ try config.validate() }, mentions: "norm_num_groups 0")
    }

    func testTemporalVAEGroupsZero() throws {
        let config = try load(TemporalVAEConfig.self, #"{"num_groups": 0}"#)
        assertInvalid({ try config.validate() }, mentions: "num_groups 0")
    }

    func testTemporalVAEChannelCountOverflow() throws {
        let config = try load(TemporalVAEConfig.self, #"{"filters": 4611686018427387904}"#)
        assertInvalid({ try config.validate() }, mentions: "filters 4611686018427387904")
    }

    func testSTDiT3MLPRatioBeyondInt() throws {
        let config = try load(STDiT3Config.self, #"{"mlp_ratio": 1e300}"#)
        assertInvalid({ try config.validate() }, mentions: "mlp_ratio")
        let negative = try load(STDiT3Config.self, #"{"mlp_ratio": -4}"#)
        assertInvalid({ try negative.validate() }, mentions: "mlp_ratio")
    }

    func testWrongTypeNamesTheFileAndKey() throws {
        XCTAssertThrowsError(try load(STDiT3Config.self, #"{"hidden_size": "big"}"#)) {
            XCTAssertTrue("\($0)".contains(".json") && "\($0)".contains("hidden_size"), "\($0)")
        }
        XCTAssertThrowsError(try load(STDiT3Config.self, #"{"depth": 1e30}"#)) { XCTAssertTrue("\($0)".contains("depth"), "\($0)") }
    }
}
