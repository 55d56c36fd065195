import Foundation
import MLXTensor
import NN
import OpenSora
import XCTest

/// `initializeWeights(key:)` against the reference's own freshly constructed models
/// (Tests/Fixtures/init, written by tools/make_init_fixture.py). RNG streams differ from torch's, so
/// the contract is distributional: the same parameters, the same all-zero set, and per tensor the
/// same mean/std and uniform bounds within sampling error.
final class InitFixtureTests: XCTestCase {
    func testSTDiT3MatchesReferenceInitialisation() throws {
        let fixture = try InitFixture.load("stdit3_tiny")
        let model = try STDiT3(STDiT3Config.decode(fixture.config), key: RandomKey(seed: 11))
        model.initializeWeights(key: RandomKey(seed: 12))
        try fixture.assertMatches(model)

        let p = Dictionary(uniqueKeysWithValues: model.namedParameters())
        for name in ["attn.qkv.weight", "cross_attn.kv_linear.weight", "mlp.fc1.weight", "scale_shift_table"] {
            let a = try XCTUnwrap(p["spatial_blocks.0." + name]), b = try XCTUnwrap(p["spatial_blocks.1." + name])
            XCTAssertGreaterThan(try maxAbsDifference(a, b), 0, "spatial blocks 0 and 1 share \(name)")
        }
        let spatial = try XCTUnwrap(p["spatial_blocks.0.attn.qkv.weight"]), temporal = try XCTUnwrap(p["temporal_blocks.0.attn.qkv.weight"])
        XCTAssertGreaterThan(try maxAbsDifference(spatial, temporal), 0)
        // The null caption is randn/√Ccap, not zero: its std is 1/√32 ≈ 0.177 up to sampling error (n = 256).
        let nullCaption = try XCTUnwrap(p["y_embedder.y_embedding"])
        XCTAssertEqual(try InitStatistics(nullCaption).std, 1 / Float(32).squareRoot(), accuracy: 6 * 0.177 / Float(256).squareRoot())
    }

    func testTemporalVAEMatchesReferenceInitialisation() throws {
        let fixture = try InitFixture.load("temporal_vae_tiny")
        let vae = try TemporalVAE(TemporalVAEConfig.decode(fixture.config), key: RandomKey(seed: 21))
        vae.initializeWeights(key: RandomKey(seed: 22))
        try fixture.assertMatches(vae)
    }

    func testConstructorsAlreadyHoldTheTemporalVAEDefaults() throws {
        // The VAEs define no init of their own: construction alone must give the reference's statistics.
        let fixture = try InitFixture.load("temporal_vae_tiny")
        try fixture.assertMatches(try TemporalVAE(TemporalVAEConfig.decode(fixture.config), key: RandomKey(seed: 23)))
    }

    func testTheCheckCatchesAWrongRule() throws {
        // A model left at constructor defaults (no initialize_weights) must fail the STDiT3 comparison:
        // the fixture's zeroed temporal projections are then non-zero.
        let fixture = try InitFixture.load("stdit3_tiny")
        let model = try STDiT3(STDiT3Config.decode(fixture.config), key: RandomKey(seed: 11))
        let mismatches = try fixture.mismatches(model)
        XCTAssertTrue(mismatches.contains { $0.hasPrefix("temporal_blocks.0.attn.proj.weight") }, "\(mismatches)")
        XCTAssertTrue(mismatches.contains { $0.hasPrefix("fps_embedder.mlp.2.weight") }, "\(mismatches)")
        // Xavier U(±0.116) and PyTorch's U(±0.125) on t_block's [384, 64] differ by 2 tolerances of the std.
        XCTAssertTrue(mismatches.contains { $0.hasPrefix("t_block.1.weight: std") }, "\(mismatches)")
    }
}

/// Sample statistics of one tensor (population std, as the fixture's torch `std(unbiased=False)`).
struct InitStatistics {
    let count: Int, allZero: Bool, mean: Float, std: Float, maxAbs: Float, values: [Float]

    init(_ t: Tensor) throws {
        values = try t.asType(.float32).toArray()
        count = values.count
        allZero = values.allSatisfy { $0 == 0 }
        let m = values.reduce(0.0) { $0 + Double($1) } / Double(max(count, 1))
        let v = values.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(max(count, 1))
        mean = Float(m)
        std = Float(v.squareRoot())
        maxAbs = values.map(abs).max() ?? 0
    }
}

/// One fixture file: the reference config and per-parameter statistics.
struct InitFixture {
    struct Entry: Decodable {
        let shape: [Int], count: Int, all_zero: Bool, mean: Double, std: Double, min: Double, max: Double
        let distribution: String
    }

    let config: [String: Any]
    let parameters: [String: Entry]

    static func load(_ name: String) throws -> InitFixture {
        let data = try Data(contentsOf: fixturesDirectory.appendingPathComponent("init/\(name).json"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        struct Doc: Decodable { let parameters: [String: Entry] }
        return InitFixture(config: try XCTUnwrap(object["config"] as? [String: Any]),
                           parameters: try JSONDecoder().decode(Doc.self, from: data).parameters)
    }

    /// Every disagreement as "name: what" (empty when the model matches).
    ///
    /// Tolerances, for n values: a sample std has relative standard error √(κ−1)/(2√n) (0.71/√n for a
    /// normal, 0.45/√n for a uniform), so two independent samples differ by at most 1/√n per standard
    /// error: 6/√n is six of them. Means differ by σ·√(2/n) per standard error: six again. A uniform's
    /// largest |x| among n falls short of the bound by more than 12/n of it with probability e^−12, so
    /// our max|x| may exceed the reference's by that factor and no more.
    func mismatches(_ model: Module) throws -> [String] {
        var problems = [String]()
        let ours = Dictionary(uniqueKeysWithValues: model.namedParameters())
        let layouts = model.parameterLayouts()
        let missing = Set(parameters.keys).subtracting(ours.keys), extra = Set(ours.keys).subtracting(parameters.keys)
        if !missing.isEmpty { problems.append("missing: \(missing.sorted())") }
        if !extra.isEmpty { problems.append("not in the reference: \(extra.sorted())") }
        for (name, want) in parameters.sorted(by: { $0.key < $1.key }) {
            guard let tensor = ours[name] else { continue }
            let shape = (layouts[name] ?? .identity).toPyTorch(shape: tensor.shape)
            if shape != want.shape { problems.append("\(name): shape \(shape), reference \(want.shape)") }
            let got = try InitStatistics(tensor)
            if got.allZero != want.all_zero {
                problems.append("\(name): all-zero \(got.allZero), reference \(want.all_zero)")
                continue
            }
            let n = Float(want.count), sigma = Float(want.std)
            switch want.distribution {
            case "zero": break
            case "constant":
                if got.values.contains(where: { $0 != Float(want.mean) }) { problems.append("\(name): not all \(want.mean)") }
            default:
                if abs(got.std - sigma) > 6 * sigma / n.squareRoot() {
                    problems.append("\(name): std \(got.std), reference \(sigma)")
                }
                if abs(got.mean - Float(want.mean)) > 6 * sigma * (2 / n).squareRoot() {
                    problems.append("\(name): mean \(got.mean), reference \(want.mean)")
                }
                let bound = Float(Swift.max(abs(want.min), abs(want.max)))
                if want.distribution == "uniform", got.maxAbs > bound * (1 + 12 / n) {
                    problems.append("\(name): max |x| \(got.maxAbs) beyond the reference's uniform bound \(bound)")
                }
            }
        }
        return problems
    }

    func assertMatches(_ model: Module, file: StaticString = #filePath, line: UInt = #line) throws {
        let problems = try mismatches(model)
        XCTAssertTrue(problems.isEmpty, problems.joined(separator: "\n"), file: file, line: line)
    }
}
