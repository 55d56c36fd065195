@testable import OpenSoraTraining
import XCTest

final class NumPyRandomTests: XCTestCase {
    /// `default_rng(seed).random()` for the fixture's check seeds (0, 2³¹, 2³² + 5, 2⁶³ − 1 …), bit for bit.
    func testRandomMatchesNumPyCheckValues() throws {
        let checks = try XCTUnwrap(field(BucketFixture.load(), "numpy_rng_check").listValue)
        XCTAssertGreaterThanOrEqual(checks.count, 5)
        for check in checks {
            let seed = try XCTUnwrap(field(check, "seed").uint64Value)
            let want = try XCTUnwrap(field(check, "random").listValue).compactMap(\.doubleValue)
            var rng = NumPyRandom(seed: seed)
            let got = want.map { _ in rng.random() }
            XCTAssertEqual(got.map(\.bitPattern), want.map(\.bitPattern), "seed \(seed)")
        }
    }

    /// Every generator traced inside every fixture lookup: [seed, [draws]] gives exactly those draws.
    func testEveryRNGTraceOfTheCases() throws {
        var walked = 0
        for c in try XCTUnwrap(field(BucketFixture.load(), "cases").listValue) {
            for row in try XCTUnwrap(field(c, "rows").listValue) {
                for trace in row["rng"]?.listValue ?? [] {
                    let pair = try XCTUnwrap(trace.listValue)
                    let seed = try XCTUnwrap(pair[0].uint64Value)
                    let want = try XCTUnwrap(pair[1].listValue).compactMap(\.doubleValue)
                    var rng = NumPyRandom(seed: seed)
                    for (i, w) in want.enumerated() {
                        XCTAssertEqual(rng.random().bitPattern, w.bitPattern, "seed \(seed) draw \(i)")
                    }
                    walked += 1
                }
            }
        }
        XCTAssertGreaterThan(walked, 1000)
    }

    /// The pool numpy's SeedSequence(0) holds (`SeedSequence(0).pool`), and more words than the pool mix in.
    func testSeedSequencePoolAndLongEntropy() {
        XCTAssertEqual(SeedSequence(entropy: 0).pool, [4_265_667_335, 1_328_953_910, 1_320_288_413, 3_365_567_143])
        XCTAssertEqual(SeedSequence(entropy: 42).pool, [1_662_858_758, 128_880_814, 1_875_164_712, 753_753_205])
        XCTAssertEqual(SeedSequence(entropy: 0).pool, SeedSequence(entropyWords: [0]).pool)
        XCTAssertEqual(SeedSequence(entropy: 1 << 32).pool, SeedSequence(entropyWords: [0, 1]).pool)
        XCTAssertNotEqual(SeedSequence(entropyWords: [1, 2, 3, 4]).pool, SeedSequence(entropyWords: [1, 2, 3, 4, 5]).pool)
        XCTAssertEqual(SeedSequence(entropy: 7).generateState64(count: 2).count, 2)
        let words = SeedSequence(entropy: 7).generateState(wordCount: 4)
        XCTAssertEqual(SeedSequence(entropy: 7).generateState64(count: 2), [UInt64(words[0]) | UInt64(words[1]) << 32,
                                                                            UInt64(words[2]) | UInt64(words[3]) << 32])
    }

    /// `np.random.PCG64(5).random_raw(3)`.
    func testPCG64RawOutputs() {
        var bits = PCG64(seedSequence: SeedSequence(entropy: 5))
        XCTAssertEqual((0..<3).map { _ in bits.nextUInt64() },
                       [14_849_682_912_918_955_432, 14_903_876_974_979_881_461, 9_506_078_739_185_184_192])
    }

    /// random() is (next >> 11) · 2⁻⁵³: strictly below 1 and reproducible per seed.
    func testRandomIsTheTop53BitsOfTheRawOutput() {
        var a = NumPyRandom(seed: 42), b = NumPyRandom(seed: 42)
        for _ in 0..<100 {
            let raw = a.nextUInt64(), u = b.random()
            XCTAssertEqual(u, Double(raw >> 11) / 9_007_199_254_740_992)
            XCTAssertLessThan(u, 1)
        }
    }
}
