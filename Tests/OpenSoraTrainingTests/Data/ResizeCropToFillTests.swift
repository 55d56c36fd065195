import OpenSora
@testable import OpenSoraTraining
import XCTest

final class ResizeCropToFillTests: XCTestCase {
    func testGeometryAndTheTwoOffsetRoundings() {
        // 720×1280 to 240×426: rh = 1/3 > rw → width round(426.67) = 427, overhang 1 → left 0.
        let a = ResizeCropToFill(source: VideoSize(height: 720, width: 1280), target: VideoSize(height: 240, width: 426), rounding: .floor)
        XCTAssertEqual(a.scaled, VideoSize(height: 240, width: 427))
        XCTAssertEqual([a.top, a.left], [0, 0])
        // 9×14 to 4×3: width round(6.22) = 6, overhang 3: the tensor path floors (1), PIL's rounds half to even (2).
        let s = VideoSize(height: 9, width: 14), t = VideoSize(height: 4, width: 3)
        XCTAssertEqual(ResizeCropToFill(source: s, target: t, rounding: .floor).left, 1)
        XCTAssertEqual(ResizeCropToFill(source: s, target: t, rounding: .halfToEven).left, 2)
        // Portrait source to landscape target: rows are cropped.
        let p = ResizeCropToFill(source: VideoSize(height: 100, width: 50), target: VideoSize(height: 30, width: 40), rounding: .floor)
        XCTAssertEqual(p.scaled, VideoSize(height: 80, width: 40))
        XCTAssertEqual([p.top, p.left], [25, 0])
    }

    /// The `center` transform: sides floor(side · 256/short), offsets round((side − 256)/2) half to even, and the
    /// bilinear step 1/scale_factor (torch's rule when interpolate is given scale_factor).
    func testCentreScalesByTheShortSideAndCropsTheMiddle() {
        let wide = ResizeCropToFill(centreOf: VideoSize(height: 360, width: 640), target: VideoSize(height: 256, width: 256))
        XCTAssertEqual(wide.scaled, VideoSize(height: 256, width: 455))  // 455.11 floored (the resize-crop rounds: 455 too)
        XCTAssertEqual([wide.top, wide.left], [0, 100])  // 99.5 → 100 (the resize-crop floors: 99)
        XCTAssertEqual(wide.scaleFactor, 256.0 / 360)
        let tall = ResizeCropToFill(centreOf: VideoSize(height: 100, width: 50), target: VideoSize(height: 256, width: 256))
        XCTAssertEqual(tall.scaled, VideoSize(height: 512, width: 256))
        XCTAssertEqual([tall.top, tall.left], [128, 0])
        let odd = ResizeCropToFill(centreOf: VideoSize(height: 480, width: 854), target: VideoSize(height: 256, width: 256))
        XCTAssertEqual(odd.scaled.width, 455)  // 455.47 floored, where the resize-crop rounds
        XCTAssertEqual(ResizeCropToFill(source: VideoSize(height: 480, width: 854), target: VideoSize(height: 256, width: 256),
                                        rounding: .floor).scaled.width, 455)
        // 3 → 2 with scale_factor 2/3: step 1.5, sources 0.25 and 1.75 (sized by output the step would be the same here).
        let axis = BilinearAxis(input: 3, output: 2, scaleFactor: 2.0 / 3)
        XCTAssertEqual(axis.index0, [0, 1])
        XCTAssertEqual(axis.lambda1, [0.25, 0.75])
        // 5 → 3 with scale_factor 0.7 (floor(3.5) = 3): step 1/0.7 instead of 5/3.
        let scaled = BilinearAxis(input: 5, output: 3, scaleFactor: 0.7)
        XCTAssertEqual(scaled.index0, [0, 1, 3])  // 0.21, 1.64, 3.07 (by output: 0.33, 2, 3.67)
        XCTAssertEqual(scaled.lambda1[1], Float(1 / 0.7) * 1.5 - 0.5 - 1, accuracy: 1e-6)
    }

    /// torch bilinear, align_corners=False: 2 → 4 gives sources −0.25 (clamped), 0.25, 0.75, 1.25; 4 → 2 averages pairs.
    func testBilinearAxisMatchesTorchRule() {
        let up = BilinearAxis(input: 2, output: 4)
        XCTAssertEqual(up.index0, [0, 0, 0, 1])
        XCTAssertEqual(up.index1, [1, 1, 1, 1])
        XCTAssertEqual(up.lambda1, [0, 0.25, 0.75, 0.25])
        let down = BilinearAxis(input: 4, output: 2)
        XCTAssertEqual(down.index0, [0, 2])
        XCTAssertEqual(down.lambda1, [0.5, 0.5])
    }

    func testImagePathEqualsPillow() throws {
        let (h, w) = PILResizeReference.sourceSize
        var rgb = [UInt8]()
        for y in 0..<h { for x in 0..<w { for c in 0..<3 { rgb.append(PILResizeReference.sourceByte(y: y, x: x, c: c)) } } }
        for ref in PILResizeReference.cases {
            let plan = ResizeCropToFill(source: VideoSize(height: h, width: w), target: VideoSize(height: ref.th, width: ref.tw), rounding: .halfToEven)
            XCTAssertEqual(plan.scaled, VideoSize(height: ref.scaled.0, width: ref.scaled.1))
            XCTAssertEqual([plan.top, plan.left], [ref.top, ref.left])
            let pixels = PILBicubicResize.pixels(rgb, size: VideoSize(height: h, width: w), plan: plan)
            var worst = 0
            for y in 0..<ref.th { for x in 0..<ref.tw { for c in 0..<3 {
                let got = Int(((pixels[(c * ref.th + y) * ref.tw + x] * 0.5 + 0.5) * 255).rounded())
                worst = Swift.max(worst, abs(got - Int(ref.hwc[(y * ref.tw + x) * 3 + c])))
            } } }
            XCTAssertEqual(worst, 0, "\(ref.th)×\(ref.tw): largest byte difference from Pillow")
        }
    }
}
