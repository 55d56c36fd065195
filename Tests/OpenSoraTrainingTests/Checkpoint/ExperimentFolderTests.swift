import Foundation
@testable import OpenSoraTraining
import XCTest

final class ExperimentFolderTests: XCTestCase {
    func testRunsAreNumberedByTheEntriesAlreadyThere() throws {
        let outputs = try CheckpointFixture.folder()
        let config = try TrainingConfig.preset("stage1", overrides: [ConfigOverride(parsing: "outputs=\(outputs)")])
        let first = try ExperimentFolder.create(for: config)
        XCTAssertEqual((first as NSString).lastPathComponent, "000-STDiT3-XL-2")
        let second = try ExperimentFolder.create(for: config)
        XCTAssertEqual((second as NSString).lastPathComponent, "001-STDiT3-XL-2")
        XCTAssertEqual(try TrainingConfig(file: (first as NSString).appendingPathComponent("config.yaml")), config)
    }
}
