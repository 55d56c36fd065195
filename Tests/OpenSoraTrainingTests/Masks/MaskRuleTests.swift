import MLXTensor
@testable import OpenSoraTraining
import XCTest

/// Each type's rule on hand-picked lengths and draws (false = condition frame).
final class MaskRuleTests: XCTestCase {
    func draws(size: Double = 0, place: Double = 0, frames: [Double] = []) -> MaskDraws {
        MaskDraws(size: size, place: place, frames: frames)
    }

    func pattern(_ mask: [Bool]) -> String { String(mask.map { $0 ? "g" : "c" }) }

    func testFixedTypesOnEightFrames() throws {
        let d = draws(size: 0.7, place: 0.3)
        XCTAssertEqual(pattern(try MaskType.identity.mask(frameCount: 8, draws: d)), "gggggggg")
        XCTAssertEqual(pattern(try MaskType.imageHead.mask(frameCount: 8, draws: d)), "cggggggg")
        XCTAssertEqual(pattern(try MaskType.imageTail.mask(frameCount: 8, draws: d)), "gggggggc")
        XCTAssertEqual(pattern(try MaskType.imageHeadTail.mask(frameCount: 8, draws: d)), "cggggggc")
    }

    /// Q = T // 4 = 3 for 12 frames: size 0.7 → randint(1, 3) = 3; 0.0 → 1; 0.99 → 3.
    func testQuarterLengthsStayWithinAQuarter() throws {
        XCTAssertEqual(pattern(try MaskType.quarterHead.mask(frameCount: 12, draws: draws(size: 0.7))), "cccggggggggg")
        XCTAssertEqual(pattern(try MaskType.quarterHead.mask(frameCount: 12, draws: draws(size: 0.0))), "cggggggggggg")
        XCTAssertEqual(pattern(try MaskType.quarterTail.mask(frameCount: 12, draws: draws(size: 0.5))), "ggggggggggcc")
        XCTAssertEqual(pattern(try MaskType.quarterHeadTail.mask(frameCount: 12, draws: draws(size: 0.99))), "cccggggggccc")
        for s in stride(from: 0.0, to: 1, by: 0.01) {
            let conditions = try MaskType.quarterHead.mask(frameCount: 15, draws: draws(size: s)).filter { !$0 }.count
            XCTAssert((1...3).contains(conditions), "size \(s): \(conditions) condition frames, accepted 1...3")
        }
    }

    /// quarter_random: n = randint(1, 2) then p = randint(0, T − n); image_random: p = randint(0, T − 1).
    func testRandomPositions() throws {
        XCTAssertEqual(pattern(try MaskType.quarterRandom.mask(frameCount: 8, draws: draws(size: 0.6, place: 0.5))), "gggccggg")
        XCTAssertEqual(pattern(try MaskType.quarterRandom.mask(frameCount: 8, draws: draws(size: 0.6, place: 0.999))), "ggggggcc")
        XCTAssertEqual(pattern(try MaskType.imageRandom.mask(frameCount: 8, draws: draws(place: 0.999))), "gggggggc")
        XCTAssertEqual(pattern(try MaskType.imageRandom.mask(frameCount: 8, draws: draws(place: 0.26))), "ggcggggg")
    }

    func testIntepolateConditionsEveryOtherFrame() throws {
        XCTAssertEqual(pattern(try MaskType.intepolate.mask(frameCount: 7, draws: draws(size: 0.2))), "cgcgcgc")
        XCTAssertEqual(pattern(try MaskType.intepolate.mask(frameCount: 7, draws: draws(size: 0.8))), "gcgcgcg")
        XCTAssertEqual(pattern(try MaskType.intepolate.mask(frameCount: 2, draws: draws(size: 0.8))), "gc")
    }

    /// random: threshold r = 0.1 + 0.8·place; frame t generated when its draw exceeds r; all-condition → last generated.
    func testRandomThresholdAndItsLastFrameRule() throws {
        let frames = [0.9, 0.2, 0.6, 0.4, 0.55]
        XCTAssertEqual(pattern(try MaskType.random.mask(frameCount: 5, draws: draws(place: 0.5, frames: frames))), "gcgcg")
        XCTAssertEqual(pattern(try MaskType.random.mask(frameCount: 5, draws: draws(place: 1.0, frames: frames))), "ccccg")
    }

    func testShortClips() throws {
        for type in MaskType.allCases {
            XCTAssertEqual(try type.mask(frameCount: 1, draws: draws(size: 0.5, place: 0.5, frames: [0])), [true], "\(type)")
        }
        for type in MaskType.allCases where type.drawsQuarterLength {
            XCTAssertThrowsError(try type.mask(frameCount: 3, draws: draws())) {
                XCTAssertEqual($0 as? MaskGeneratorError, .tooFewFramesForQuarter(type, frames: 3))
            }
            XCTAssertEqual(try type.mask(frameCount: 4, draws: draws(size: 0.99, place: 0.99)).filter { !$0 }.count,
                           type == .quarterHeadTail ? 2 : 1, "\(type) on 4 frames")
        }
        // image_head_tail on two frames conditions both, exactly as the reference does.
        XCTAssertEqual(pattern(try MaskType.imageHeadTail.mask(frameCount: 2, draws: draws())), "cc")
    }

    /// Only image_head_tail on 2 frames may condition every frame; every other type/length/draw leaves one generated.
    func testNoOtherMaskConditionsEveryFrame() throws {
        let grid = stride(from: 0.0, to: 1, by: 0.125).map { $0 }
        for type in MaskType.allCases {
            for t in 2...13 where !(type.drawsQuarterLength && t < 4) {
                for s in grid { for p in grid {
                    let frames = (0..<t).map { grid[($0 * 3 + Int(s * 8)) % grid.count] }
                    let mask = try type.mask(frameCount: t, draws: draws(size: s, place: p, frames: frames))
                    XCTAssertEqual(mask.count, t)
                    if type == .imageHeadTail && t == 2 { continue }
                    XCTAssert(mask.contains(true), "\(type) T=\(t) size=\(s) place=\(p) conditions every frame")
                } }
            }
        }
    }
}
