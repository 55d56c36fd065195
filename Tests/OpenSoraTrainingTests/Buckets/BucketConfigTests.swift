import OpenSora
@testable import OpenSoraTraining
import XCTest

final class BucketConfigTests: XCTestCase {
    /// The stage presets equal the fixture's configs read from the reference files (keep-1 variants too).
    func testPresetsEqualTheReferenceConfigs() throws {
        let configs = try XCTUnwrap(field(BucketFixture.load(), "configs").objectValue)
        var matched = 0
        for (name, c) in configs {
            let stage = name.replacingOccurrences(of: "_keep1", with: "")
            let preset = try XCTUnwrap(BucketConfig.presets.first { $0.name == stage }?.config, name)
            let parsed = try BucketConfig(literal: field(c, "bucket_config"))
            XCTAssertEqual(parsed, name.hasSuffix("_keep1") ? preset.alwaysKept : preset, name)
            matched += 1
        }
        XCTAssertEqual(matched, 6)
    }

    /// spec §4.2's bucket counts, and every preset passes the checks a parsed config gets.
    func testPresetBucketCountsAndValidity() throws {
        let counts = try BucketConfig.presets.map { try Bucket($0.config).bucketCount }
        XCTAssertEqual(counts, [626, 894, 1025, 666])
        for p in BucketConfig.presets {
            XCTAssertEqual(try BucketConfig(p.config.resolutions), p.config, p.name)
        }
        XCTAssertEqual(BucketConfig.stage1.resolutions.count, 10)
        XCTAssertEqual(BucketConfig.adapt.resolutions.count, 9)
    }

    /// The reference's own Python form: int keys, tuples, None, comments, trailing commas.
    func testParsesThePythonDictForm() throws {
        let config = try BucketConfig(parsing: """
            {  # 12s/it
                "144p": {1: (1.0, 475), 102: ((1.0, 0.33), 27),},
                # ---
                '480p': {408: (0.0, None)},
            }
            """)
        XCTAssertEqual(config.resolutions.map(\.resolution.rawValue), ["144p", "480p"])
        XCTAssertEqual(config.resolutions[0].frames, [
            .init(frameCount: 1, keep: .single(1), batchSize: 475),
            .init(frameCount: 102, keep: .split(resolution: 1, frames: 0.33), batchSize: 27),
        ])
        XCTAssertEqual(config.resolutions[1].frames, [.init(frameCount: 408, keep: .single(0), batchSize: nil)])
    }

    func testErrorsNameTheBadKeyOrValue() {
        func message(_ text: String) -> String {
            do { _ = try BucketConfig(parsing: text); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(message(#"{"999p": {1: (1.0, 1)}}"#).contains("'999p'"))
        XCTAssertTrue(message(#"{"999p": {1: (1.0, 1)}}"#).contains("144p, 256, 240p"))
        XCTAssertTrue(message(#"{"360p": {1: ((0.5, 0.5), 8)}}"#).contains("image bucket"))
        XCTAssertTrue(message(#"{"360p": {51: (1.5, 8)}}"#).contains("1.5"))
        XCTAssertTrue(message(#"{"360p": {51: (0.5, 0)}}"#).contains("batch size 0"))
        XCTAssertTrue(message(#"{"360p": {51: (0.5, 2.5)}}"#).contains("batch size 2.5"))
        XCTAssertTrue(message(#"{"360p": {0: (0.5, 2)}}"#).contains("frame count '0'"))
        XCTAssertTrue(message(#"{"360p": {x: (0.5, 2)}}"#).contains("character"))
        XCTAssertTrue(message(#"{"360p": {51: (0.5,)}}"#).contains(#"bucket_config["360p"][51]"#))
        XCTAssertTrue(message(#"{"360p": [[51, 0.5, 2], [51, 0.4, 1]]}"#).contains("frame count 51"))
        XCTAssertTrue(message(#"{"360p": {}, "360p": {}}"#).contains("appears twice"))
        XCTAssertTrue(message("[1, 2]").contains("an object of resolutions"))
    }

    func testAlwaysKeptKeepsFormAndBatchSizes() {
        let kept = BucketConfig.stage3.alwaysKept
        XCTAssertEqual(kept.resolutions[5].frames.map(\.keep), [.single(1), .single(1), .single(1), .split(resolution: 1, frames: 1), .single(1)])
        XCTAssertEqual(kept.resolutions[5].frames.map(\.batchSize), BucketConfig.stage3.resolutions[5].frames.map(\.batchSize))
    }
}
