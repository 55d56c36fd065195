import Foundation
import OpenSora
import XCTest

/// The full-size state_dict layout equals the official one name for name, shape for shape.
final class STDiT3LayoutTests: XCTestCase {
    func testXL2LayoutEqualsOfficialLayout() throws {
        let official = try ModelLayout.fromFixture(fixturesDirectory.appendingPathComponent("parity/checkpoint.layout__released.json"))
        guard let want = official.first(where: { $0.name == "STDiT3-XL/2" }) else { return XCTFail("fixture has no STDiT3-XL/2") }
        let got = try ModelCatalog.layout("stdit3-xl2")
        XCTAssertEqual(got.entries.count, want.entries.count)
        for (g, w) in zip(got.entries, want.entries) where g != w {
            XCTFail("first difference: got \(g), want \(w)")
            break
        }
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
