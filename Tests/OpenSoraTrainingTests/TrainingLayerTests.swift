@testable import OpenSoraTraining
import XCTest

final class TrainingLayerTests: XCTestCase {
    func testTheLayerNamesTheRecipeItImplements() {
        XCTAssertEqual(OpenSoraTraining.referenceVersion, "Open-Sora v1.2.0")
    }
}
