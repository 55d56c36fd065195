import MLXTensor
@testable import OpenSora
import XCTest

final class SamplerTests: XCTestCase {
    let geometry = RectifiedFlowSampler.Geometry(height: [240], width: [426], numFrames: [51])

    /// spec/rectified_flow.md §6: the float32 schedule for 240×426, 51 frames, 30 steps.
    func testScheduleMatchesTheReferenceValues() {
        let t = RectifiedFlowSampler(stepCount: 30).timesteps(batch: 1, geometry: geometry).map { $0[0] }
        let reference: [Float] = [1000.0000, 985.9437, 971.3155, 956.0796, 940.1974]
        for (got, want) in zip(t, reference) { XCTAssertEqual(got, want, accuracy: 2e-3) }
        XCTAssertEqual(t.last!, 76.9835, accuracy: 2e-3)
    }

    /// The transform's scale multiplies its ratio: at 64×64, 17 frames the ratio is √(64²/512²)·√5 = 0.279508, so the
    /// second of 30 steps (u = 29/30) lands at 0.279508u/(1 − 0.720492u) = 890.18 unscaled and, with scale 10,
    /// 2.79508u/(1 + 1.79508u) = 987.81.
    func testTheTransformScaleShiftsTheScheduleTowardNoise() {
        let small = RectifiedFlowSampler.Geometry(height: [64], width: [64], numFrames: [17])
        let plain = RectifiedFlowSampler(stepCount: 30).timesteps(batch: 1, geometry: small).map { $0[0] }
        let scaled = RectifiedFlowSampler(stepCount: 30, transformScale: 10).timesteps(batch: 1, geometry: small).map { $0[0] }
        XCTAssertEqual(plain[1], 890.18, accuracy: 0.02)
        XCTAssertEqual(scaled[1], 987.81, accuracy: 0.02)
        XCTAssertEqual(scaled[0], 1000, accuracy: 1e-3)
        XCTAssertEqual(scaled.filter { $0 > 900 }.count, 8)
        XCTAssertEqual(plain.filter { $0 > 900 }.count, 1)
    }

    func testFrozenFramesKeepTheirLatentsAndExactVelocityIntegratesToData() throws {
        // A constant velocity v: the generated frames end at z + v·Σdt = z + v (Σdt = 1 over the schedule).
        let z = Tensor.normal([1, 4, 3, 2, 2], key: RandomKey(seed: 1))
        let v = Tensor.normal([1, 4, 3, 2, 2], key: RandomKey(seed: 2))
        let mask = Tensor([0, 1, 1], shape: [1, 3])
        let sampler = RectifiedFlowSampler(stepCount: 4, guidanceScale: 3, useTimestepTransform: false)
        let out = try sampler.sample(z: z, geometry: geometry, mask: mask, noise: { _ in Tensor.zeros([1, 4, 3, 2, 2]) },
                                     model: { _, _, frameMask in
                                         XCTAssertNotNil(frameMask)
                                         return (v, v)
                                     })
        XCTAssertEqual(try maxAbsDifference(out[.all, .all, 0..<1], z[.all, .all, 0..<1]), 0)
        // Generated frames (CFG of equal halves is v itself).
        XCTAssertLessThan(try maxAbsDifference(out[.all, .all, 1...], (z + v)[.all, .all, 1...]), 1e-5)
    }

    func testBadInputsAreErrors() {
        let s = RectifiedFlowSampler(stepCount: 2)
        let z = Tensor.zeros([1, 4, 3, 2, 2])
        XCTAssertThrowsError(try s.sample(z: z, geometry: geometry, mask: Tensor.ones([1, 4]), noise: { _ in z }, model: { z, _, _ in (z, z) }))
        XCTAssertThrowsError(try s.sample(z: Tensor.zeros([2, 4, 3, 2, 2]), geometry: geometry, noise: { _ in z }, model: { z, _, _ in (z, z) }))
    }
}
