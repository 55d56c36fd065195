import MLXTensor
@testable import OpenSoraTraining
import XCTest

final class MaskGeneratorTests: XCTestCase {
    func testRatiosAddIdentityLastAndValidate() throws {
        let r = try MaskRatios(named: [("random", 0.2), ("intepolate", 0.3)])
        XCTAssertEqual(r.entries.map(\.type), [.random, .intepolate, .identity])
        XCTAssertEqual(r.ratio(of: .identity), 0.5, accuracy: 1e-12)
        XCTAssertEqual(r.type(at: 0.1), .random)
        XCTAssertEqual(r.type(at: 0.2), .intepolate)
        XCTAssertEqual(r.type(at: 0.6), .identity)
        XCTAssertEqual(MaskRatios.v1_2Stage1.ratio(of: .identity), 0.8, accuracy: 1e-9)
        XCTAssertEqual(MaskRatios.v1_2Adapt.ratio(of: .identity), 0.5, accuracy: 1e-9)
        XCTAssertEqual(MaskRatios.v1_2Stage3.ratio(of: .identity), 0.75, accuracy: 1e-9)
        XCTAssertEqual(MaskRatios.v1_2Stage3.entries.first?.type, .random)

        XCTAssertThrowsError(try MaskRatios(named: [("interpolate", 0.1)])) {
            XCTAssertEqual($0 as? MaskGeneratorError, .unknownType("interpolate"))
            XCTAssert("\($0)".contains("intepolate"))
        }
        XCTAssertThrowsError(try MaskRatios([(.random, 1.5)])) { XCTAssertEqual($0 as? MaskGeneratorError, .ratioOutOfRange(.random, 1.5)) }
        XCTAssertThrowsError(try MaskRatios([(.random, -0.1)])) { XCTAssertEqual($0 as? MaskGeneratorError, .ratioOutOfRange(.random, -0.1)) }
        XCTAssertThrowsError(try MaskRatios([(.random, 0.75), (.imageHead, 0.5)])) {
            XCTAssertEqual($0 as? MaskGeneratorError, .ratiosDoNotSumToOne(1.25))
        }
        XCTAssertThrowsError(try MaskRatios([(.random, 0.25), (.identity, 0.5)])) {
            XCTAssertEqual($0 as? MaskGeneratorError, .ratiosDoNotSumToOne(0.75))
        }
        XCTAssertThrowsError(try MaskRatios(named: [("random", 0.1), ("random", 0.1)])) {
            XCTAssertEqual($0 as? MaskGeneratorError, .duplicateType("random"))
        }
        XCTAssertNoThrow(try MaskRatios([(.random, 0.2), (.identity, 0.8)]))
    }

    /// Over 20,000 draws each type's share is within 4.5 standard errors (√(p(1−p)/n)) of its ratio.
    func testTypeFrequenciesFollowTheRatios() throws {
        let ratios = try MaskRatios([(.random, 0.2), (.intepolate, 0.05), (.quarterRandom, 0.05), (.quarterHead, 0.05),
                                     (.quarterTail, 0.05), (.quarterHeadTail, 0.05), (.imageRandom, 0.1), (.imageHead, 0.1),
                                     (.imageTail, 0), (.imageHeadTail, 0.05)])
        let n = 20_000
        let masks = try MaskGenerator(ratios: ratios).masks(batchSize: n, frameCount: 8, key: RandomKey(seed: 11))
        XCTAssertEqual(masks.types.count, n)
        XCTAssertEqual(masks.values.count, n * 8)
        for type in MaskType.allCases {
            let p = ratios.ratio(of: type), share = Double(masks.types.filter { $0 == type }.count) / Double(n)
            let tolerance = 4.5 * (p * (1 - p) / Double(n)).squareRoot()
            XCTAssertEqual(share, p, accuracy: Swift.max(tolerance, 1e-12), "\(type)")
        }
        // Each sample's mask follows its drawn type: identity all generated, image_head only frame 0 conditioned.
        for b in 0..<200 {
            switch masks.types[b] {
            case .identity: XCTAssertEqual(masks[b], Array(repeating: true, count: 8))
            case .imageHead: XCTAssertEqual(masks[b], [false] + Array(repeating: true, count: 7))
            case .imageTail: XCTFail("image_tail has ratio 0")
            default: XCTAssert(masks[b].contains(true))
            }
        }
    }

    /// random's per-frame condition share averages E[r] = 0.5 over uniform(0.1, 0.9) thresholds.
    func testRandomTypeConditionsHalfTheFramesOnAverage() throws {
        let masks = try MaskGenerator(ratios: MaskRatios([(.random, 1)])).masks(batchSize: 2000, frameCount: 16, key: RandomKey(seed: 3))
        let share = Double(masks.values.filter { !$0 }.count) / Double(masks.values.count)
        XCTAssertEqual(share, 0.5, accuracy: 0.03)
    }

    func testSameKeySameMasksAndTensorShape() throws {
        let g = MaskGenerator(ratios: .v1_2Adapt)
        let a = try g.masks(batchSize: 6, frameCount: 15, key: RandomKey(seed: 5))
        let b = try g.masks(batchSize: 6, frameCount: 15, key: RandomKey(seed: 5))
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.tensor.shape, [6, 15])
        XCTAssertEqual(try a.tensor.toBoolArray(), a.values)
        let images = try g.masks(batchSize: 4, frameCount: 1, key: RandomKey(seed: 5))
        XCTAssertEqual(images.values, [true, true, true, true])
        XCTAssertThrowsError(try g.masks(batchSize: 2, frameCount: 0, key: RandomKey(seed: 5))) {
            XCTAssertEqual($0 as? MaskGeneratorError, .invalidShape(batch: 2, frames: 0))
        }
    }
}
