import Foundation
import OpenSora
import XCTest

/// The full-size state_dict layout equals the official one name for name, shape for shape.
final class STDiT3LayoutTests: XCTestCase {
    func testXL2LayoutEqualsOfficialLayout() throws {
        let got = try assertLayoutEqualsOfficial("stdit3-xl2", officialNamePrefix: "STDiT3-XL/2")
        XCTAssertEqual(got.totalParameters, 1_207_643_972)
        XCTAssertEqual(got.totalStateDictElements, 1_208_872_772)
    }

    func test3B2HasHeadDim72AndSameKeys() throws {
        let xl = try ModelCatalog.layout("stdit3-xl2"), big = try ModelCatalog.layout("stdit3-3b2")
        XCTAssertEqual(xl.entries.map(\.name), big.entries.map(\.name))
        XCTAssertEqual(big.entries.first { $0.name == "spatial_blocks.0.attn.qkv.weight" }?.shape, [5616, 1872])
        XCTAssertEqual(big.entries.first { $0.name == "rope.freqs" }?.shape, [36])
    }

    func testUnknownModelNamesTheAcceptedOnes() {
        XCTAssertThrowsError(try ModelCatalog.layout("stdit4")) { XCTAssertTrue("\($0)".contains("stdit3-xl2")) }
    }
}
