import Foundation
import MLXTensor
@testable import NN
import XCTest

/// AdamW and EMA save and restore their whole state; a resumed run continues bit for bit.
final class OptimizerStateTests: XCTestCase {
    var files = [String]()
    override func tearDown() { for f in files { try? FileManager.default.removeItem(atPath: f) } }

    func temporaryPath(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).safetensors").path
        files.append(path)
        return path
    }

    func startParameters() -> [String: Tensor] {
        ["blocks.0.weight": Tensor.normal([3, 5], key: RandomKey(seed: 1)), "blocks.0.bias": Tensor([0.5, -0.25, 1]),
         "head.weight": Tensor.normal([2, 3], key: RandomKey(seed: 2)) * 0.1]
    }

    /// A different gradient every step (a function of the step and the parameters).
    func grads(_ p: [String: Tensor], step: Int) -> [String: Tensor] {
        p.mapValues { ($0 * Float(step + 1) * 0.3).sin() + Tensor.normal($0.shape, key: RandomKey(seed: UInt64(100 + step))) }
    }

    func bits(_ t: Tensor) throws -> [UInt8] { try t.toBytes() }

    func testResumedAdamWContinuesBitForBit() throws {
        let (n, m) = (3, 4)
        let straight = AdamW(learningRate: 3e-3, betas: (0.8, 0.99), eps: 1e-6, weightDecay: 0.05)
        var p = startParameters()
        for i in 0..<n { p = try straight.update(parameters: p, grads: grads(p, step: i)) }

        let path = temporaryPath("adamw")
        try straight.save(to: path)
        let resumedFrom = p
        for i in n..<(n + m) { p = try straight.update(parameters: p, grads: grads(p, step: i)) }

        // Fresh optimizer with other hyper-parameters: everything must come from the file.
        let resumed = AdamW(learningRate: 1, betas: (0.5, 0.5), eps: 1, weightDecay: 0)
        try resumed.load(from: path, parameters: resumedFrom)
        XCTAssertEqual(resumed.step, n)
        XCTAssertEqual(resumed.learningRate, 3e-3)
        XCTAssertEqual(resumed.betas.0, 0.8)
        XCTAssertEqual(resumed.betas.1, 0.99)
        XCTAssertEqual(resumed.eps, 1e-6)
        XCTAssertEqual(resumed.weightDecay, 0.05)
        var q = resumedFrom
        for i in n..<(n + m) { q = try resumed.update(parameters: q, grads: grads(q, step: i)) }

        XCTAssertEqual(resumed.step, n + m)
        XCTAssertEqual(Set(q.keys), Set(p.keys))
        for (path, t) in p {
            XCTAssertEqual(try bits(q[path]!), try bits(t), "parameter \(path)")
            XCTAssertEqual(try bits(resumed.firstMoments[path]!), try bits(straight.firstMoments[path]!), "exp_avg \(path)")
            XCTAssertEqual(try bits(resumed.secondMoments[path]!), try bits(straight.secondMoments[path]!), "exp_avg_sq \(path)")
        }
        XCTAssertNotEqual(try bits(p["head.weight"]!), try bits(resumedFrom["head.weight"]!))  // the steps did move it
    }

    /// The module-level API: steps on a Linear, save, a second Linear resumes from its weights.
    func testAdamWResumesAgainstAModule() throws {
        let x = Tensor([-1, 0, 1, 2], shape: [4, 1]), y = x * 2 + 1
        func train(_ layer: Linear, _ opt: AdamW, steps: Int) throws {
            for _ in 0..<steps {
                let (_, grads) = try layer.valueAndGrad { (layer(x) - y).square().mean() }
                try opt.step(layer, grads: grads)
            }
        }
        let a = Linear(1, 1, key: RandomKey(seed: 3)), optA = AdamW(learningRate: 0.05, weightDecay: 0.01)
        try train(a, optA, steps: 2)
        let path = temporaryPath("adamw-module")
        try optA.save(to: path)
        let b = Linear(1, 1, key: RandomKey(seed: 4))
        try b.update(parameters: Dictionary(uniqueKeysWithValues: a.namedParameters()))
        let optB = AdamW()
        try optB.load(from: path, module: b)
        try train(a, optA, steps: 3)
        try train(b, optB, steps: 3)
        XCTAssertEqual(try bits(b.weight), try bits(a.weight))
        XCTAssertEqual(try bits(b.bias!), try bits(a.bias!))
        XCTAssertEqual(optB.step, 5)
        XCTAssertThrowsError(try AdamW().load(from: path, module: Linear(2, 1, key: RandomKey(seed: 4)))) {
            guard case .mismatch(_, let report)? = $0 as? OptimizerStateError else { return XCTFail("\($0)") }
            XCTAssertEqual(report.wrongShape.map(\.path), ["exp_avg.weight", "exp_avg_sq.weight"])
            XCTAssertEqual(report.wrongShape.first?.expected, [1, 2])
            XCTAssertEqual(report.wrongShape.first?.found, [1, 1])
        }
    }

    func testMomentsAreFloat32InTheParametersLayout() throws {
        let opt = AdamW(learningRate: 0.1)
        let p = ["w": Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .bfloat16)]
        let out = try opt.update(parameters: p, grads: ["w": Tensor([1, 1, 1, -1, -1, -1], shape: [2, 3], dtype: .bfloat16)])
        XCTAssertEqual(out["w"]!.dtype, .bfloat16)
        XCTAssertEqual(opt.firstMoments["w"]!.dtype, .float32)
        XCTAssertEqual(opt.firstMoments["w"]!.shape, [2, 3])
        assertClose(try opt.firstMoments["w"]!.toArray(), [0.1, 0.1, 0.1, -0.1, -0.1, -0.1], accuracy: 1e-7)
        let path = temporaryPath("adamw-dtype")
        try opt.save(to: path)
        let header = try Safetensors.header(of: path)
        XCTAssertEqual(header.entries.map(\.name), ["exp_avg.w", "exp_avg_sq.w"])
        XCTAssertEqual(header.entries.map(\.dtype), [.float32, .float32])
        XCTAssertEqual(header.metadata["step"], "1")
        XCTAssertEqual(header.metadata["format"], "opensora.adamw.v1")
    }

    func testAdamWStateThatDoesNotFitIsATypedReport() throws {
        let opt = AdamW(learningRate: 0.1)
        let p = ["a": Tensor([1, 2, 3]), "b": Tensor([1, 2])]
        _ = try opt.update(parameters: p, grads: p)
        let path = temporaryPath("adamw-mismatch")
        try opt.save(to: path)

        let fresh = AdamW(learningRate: 0.5)
        let other = ["a": Tensor([1, 2, 3, 4], shape: [2, 2]), "c": Tensor([0])]
        XCTAssertThrowsError(try fresh.load(from: path, parameters: other)) { error in
            var report = LoadReport()
            report.missing = ["exp_avg.c", "exp_avg_sq.c"]
            report.unexpected = ["exp_avg.b", "exp_avg_sq.b"]
            report.wrongShape = [.init(path: "exp_avg.a", expected: [2, 2], found: [3]),
                                 .init(path: "exp_avg_sq.a", expected: [2, 2], found: [3])]
            XCTAssertEqual(error as? OptimizerStateError, .mismatch(path: path, report: report))
            XCTAssertTrue("\(error)".contains("exp_avg.a expected [2, 2] found [3]"), "\(error)")
        }
        XCTAssertEqual(fresh.step, 0)  // nothing restored
        XCTAssertEqual(fresh.learningRate, 0.5)
        XCTAssertTrue(fresh.firstMoments.isEmpty)
    }

    func testAFileThatIsNotAnAdamWStateIsRefused() throws {
        let path = temporaryPath("not-adamw")
        try Tensor.save(safetensors: path, ["w": Tensor([1])], metadata: ["step": "3"])
        XCTAssertThrowsError(try AdamW().load(from: path, parameters: ["w": Tensor([1])])) {
            XCTAssertEqual($0 as? OptimizerStateError,
                           .badMetadata(path: path, key: "format", found: nil, accepted: "'opensora.adamw.v1'"))
        }
        try Tensor.save(safetensors: path, [:], metadata: ["format": "opensora.adamw.v1", "step": "-2"])
        XCTAssertThrowsError(try AdamW().load(from: path, parameters: [:])) {
            XCTAssertEqual($0 as? OptimizerStateError, .badMetadata(path: path, key: "step", found: "-2", accepted: "an integer ≥ 0"))
        }
    }

    func testEMAStateRoundTripsAndResumesBitForBit() throws {
        let start = startParameters()
        let a = EMA(parameters: start, decay: 0.9, excluded: ["head.weight"])
        var p = start
        for i in 0..<3 {
            p = p.mapValues { $0 + 0.5 * Float(i + 1) }
            try a.update(with: p)
        }
        let path = temporaryPath("ema")
        try a.save(to: path)
        let b = EMA(parameters: start.mapValues { $0 * 0 }, decay: 0.5, excluded: [])
        try b.load(from: path, parameters: start)
        XCTAssertEqual(b.decay, 0.9)
        XCTAssertEqual(b.excluded, ["head.weight"])
        let next = p.mapValues { $0 * 2 }
        try a.update(with: next)
        try b.update(with: next)
        for (path, t) in a.shadow { XCTAssertEqual(try bits(b.shadow[path]!), try bits(t), path) }
        XCTAssertEqual(try bits(b.shadow["head.weight"]!), try bits(start["head.weight"]!))  // excluded: never averaged
        // bias b0 = 0.5 saw b0 + 0.5, b0 + 1.5, b0 + 3: ema = b0 + 0.4755 after three steps, then next = 2·(b0 + 3) = 7.
        XCTAssertEqual(try a.shadow["blocks.0.bias"]!.toArray()[0], 0.9 * (0.5 + 0.4755) + 0.1 * (2 * 3.5), accuracy: 1e-5)

        XCTAssertThrowsError(try b.load(from: path, parameters: ["blocks.0.bias": Tensor([1, 2])])) {
            guard case .mismatch(_, let report)? = $0 as? OptimizerStateError else { return XCTFail("\($0)") }
            XCTAssertEqual(report.wrongShape, [.init(path: "blocks.0.bias", expected: [2], found: [3])])
            XCTAssertEqual(report.unexpected, ["blocks.0.weight", "head.weight"])
        }
    }
}
