import Foundation
import OpenSora
import XCTest

/// Reference JSON decodes over the defaults: absent keys keep them, unknown keys are ignored.
final class ModelConfigTests: XCTestCase {
    func testPartialAndForeignKeysDecodeOverDefaults() throws {
        let c = try STDiT3Config.decode(json: Data(#"{"hidden_size": 64, "depth": 2, "num_heads": 4, "architectures": ["STDiT3"], "enable_flash_attn": true}"#.utf8))
        XCTAssertEqual(c.hiddenSize, 64)
        XCTAssertEqual(c.depth, 2)
        XCTAssertEqual(c.captionChannels, 4096)
        XCTAssertEqual(c.patchSize, [1, 2, 2])
        let t = try T5Config.decode(["d_model": 32, "feed_forward_proj": "gated-gelu", "dropout_rate": 0.1, "tie_word_embeddings": NSNull()])
        XCTAssertEqual(t.modelDimensions, 32)
        XCTAssertEqual(t.layerCount, 24)
    }

    func testWrongTypesAndNonObjectsAreClearErrors() {
        XCTAssertThrowsError(try STDiT3Config.decode(json: Data(#"{"hidden_size": "big"}"#.utf8))) {
            XCTAssertTrue("\($0)".contains("STDiT3Config"), "\($0)")
        }
        XCTAssertThrowsError(try T5Config.decode(json: Data("[1, 2]".utf8)))
    }
}
