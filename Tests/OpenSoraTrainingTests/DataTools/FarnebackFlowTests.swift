import Foundation
import MLXTensor
@testable import OpenSoraTraining
import XCTest

/// The native Farneback flow against OpenCV's on the fixture pairs (tools/make_flow_fixtures.py: translations, a zoom,
/// a rotation, sizes whose pyramid levels do not halve evenly, one too small for any pyramid level).
final class FarnebackFlowTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/flow/farneback.safetensors")

    func plane(_ t: Tensor) throws -> GrayPlane {
        GrayPlane(width: t.shape[1], height: t.shape[0], values: try t.toArray())
    }

    func testEveryCaseMatchesOpenCV() throws {
        let file = try Safetensors.load(Self.fixture.path)
        let names = Set(file.tensors.keys.map { String($0.split(separator: ".")[0]) })
        XCTAssertEqual(names, ["shift", "odd_sizes", "zoom", "rotate", "small"])
        for name in names.sorted() {
            let want = try file.tensors["\(name).flow"]!.toArray() as [Float]
            let got = FarnebackFlow().flow(from: try plane(file.tensors["\(name).prev"]!), to: try plane(file.tensors["\(name).next"]!))
            XCTAssertEqual(got.values.count, want.count, name)
            var worst: Float = 0, total: Float = 0
            for i in want.indices { let e = abs(got.values[i] - want[i]); worst = max(worst, e); total += e }
            print("farneback \(name): worst \(worst), mean \(total / Float(want.count))")
            // Float sums in another order than OpenCV's: measured worst 1e-6 pixel.
            XCTAssertLessThan(worst, 1e-5, "\(name): worst |Δflow| \(worst)")
            XCTAssertLessThan(total / Float(want.count), 1e-6, "\(name): mean |Δflow|")
        }
    }

    /// The translation case moves the content by (+3, −2) pixels (cv2.warpAffine): the flow says so inside the frame.
    func testAKnownTranslationIsMeasured() throws {
        let file = try Safetensors.load(Self.fixture.path)
        let flow = FarnebackFlow().flow(from: try plane(file.tensors["shift.prev"]!), to: try plane(file.tensors["shift.next"]!))
        var dx = [Float](), dy = [Float]()
        for y in 20..<(flow.height - 20) { for x in 20..<(flow.width - 20) {
            dx.append(flow.values[2 * (y * flow.width + x)]); dy.append(flow.values[2 * (y * flow.width + x) + 1])
        } }
        XCTAssertEqual(median(dx), 3, accuracy: 0.05)
        XCTAssertEqual(median(dy), -2, accuracy: 0.05)
    }

    /// OpenCV's gray conversion is fixed point: these values are cv2.cvtColor's for the same pixels.
    func testGrayConversionIsOpenCVs() {
        let plane = GrayPlane(rgb: [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 200, 30, 255, 255, 255], width: 5, height: 1)
        XCTAssertEqual(plane.values, [76, 150, 29, 124, 255])
    }

    /// Resizing as torch (align_corners) keeps the corners and interpolates linearly between.
    func testAlignCornersResize() {
        let plane = GrayPlane(width: 3, height: 1, values: [0, 10, 40]).resizedAlignCorners(width: 5, height: 2)
        XCTAssertEqual(plane.values, [0, 5, 10, 25, 40, 0, 5, 10, 25, 40])
    }
}
