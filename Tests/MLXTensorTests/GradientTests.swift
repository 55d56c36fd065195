import MLXTensor
import XCTest

/// Gradients of differentiable ops against central finite differences (in float32, h = 1e-2 on
/// smooth functions of O(1) inputs, so agreement to ~1e-2 relative is expected).
final class GradientTests: XCTestCase {
    func finiteDifference(_ f: (Tensor) -> Tensor, at x: [Float], shape: [Int], h: Float = 1e-2) throws -> [Float] {
        try x.indices.map { i in
            var plus = x, minus = x
            plus[i] += h
            minus[i] -= h
            return (try f(Tensor(plus, shape: shape)).sum().item() - f(Tensor(minus, shape: shape)).sum().item()) / (2 * h)
        }
    }

    func checkGradient(_ name: String, shape: [Int] = [2, 3], positive: Bool = false, _ f: @escaping (Tensor) -> Tensor,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        var x = try Tensor.normal(shape, key: RandomKey(seed: 11)).toArray()
        if positive { x = x.map { abs($0) + 0.5 } }
        let (_, grads) = try valueAndGrad(of: { [f($0[0]).sum()] }, at: [Tensor(x, shape: shape)])
        let numeric = try finiteDifference(f, at: x, shape: shape)
        try assertClose(try grads[0].toArray(), numeric, atol: 2e-2, rtol: 2e-2, name, file: file, line: line)
    }

    func testElementwiseGradients() throws {
        try checkGradient("exp") { $0.exp() }
        try checkGradient("log", positive: true) { $0.log() }
        try checkGradient("sqrt", positive: true) { $0.sqrt() }
        try checkGradient("tanh") { $0.tanh() }
        try checkGradient("sigmoid") { $0.sigmoid() }
        try checkGradient("sin·cos") { $0.sin() * $0.cos() }
        try checkGradient("erf") { $0.erf() }
        try checkGradient("gelu") { $0.gelu() }
        try checkGradient("gelu tanh") { $0.geluTanh() }
        try checkGradient("silu") { $0.silu() }
        try checkGradient("square/div") { $0.square() / ($0.abs() + 1) }
        try checkGradient("pow", positive: true) { $0.pow(2.5) }
    }

    func testStructuredGradients() throws {
        let w = Tensor.normal([3, 4], key: RandomKey(seed: 5))
        try checkGradient("matmul") { $0.matmul(w).square() }
        try checkGradient("softmax", shape: [2, 5]) { $0.softmax(axes: [-1]) * Tensor((0..<5).map(Float.init)) }
        try checkGradient("logsumexp", shape: [2, 5]) { $0.logSumExp(axes: [-1]) }
        try checkGradient("mean/var", shape: [2, 5]) { $0.variance(axes: [-1]) + $0.mean(axes: [-1]) }
        try checkGradient("layer_norm", shape: [2, 5]) { $0.layerNorm(eps: 1e-5) * Tensor((1...5).map(Float.init)) }
        try checkGradient("rms_norm", shape: [2, 5]) { $0.rmsNorm(weight: Tensor((1...5).map(Float.init)), eps: 1e-5) }
        try checkGradient("transpose/reshape/slice", shape: [2, 6]) { $0.transposed(1, 0).reshaped(3, 4)[1..., 1...].square() }
        try checkGradient("concat/pad", shape: [2, 3]) { Tensor.concatenate([$0, $0.square()], axis: 1).padded([(1, 0)]).exp() }
        let k = Tensor.normal([1, 4, 3], key: RandomKey(seed: 6)), v = Tensor.normal([1, 4, 3], key: RandomKey(seed: 8))
        try checkGradient("sdpa", shape: [1, 2, 3]) {
            scaledDotProductAttention(queries: $0.reshaped(1, 1, 2, 3), keys: k.reshaped(1, 1, 4, 3), values: v.reshaped(1, 1, 4, 3), scale: 0.5)
        }
    }

    func testConvolutionGradient() throws {
        let w = Tensor.normal([2, 3, 3, 2], key: RandomKey(seed: 9))
        try checkGradient("conv2d", shape: [1, 4, 4, 2]) { $0.convolved(with: w, stride: [2, 1], padding: [(1, 1), (2, 0)]).square() }
        let w3 = Tensor.normal([2, 2, 2, 2, 1], key: RandomKey(seed: 10))
        try checkGradient("conv3d", shape: [1, 3, 3, 3, 1]) { $0.convolved(with: w3, padding: [(1, 0), (0, 0), (1, 1)]).tanh() }
    }

    func testAuxiliaryOutputsAndArgnums() throws {
        let a = Tensor([1, 2]), b = Tensor([3, 4])
        let (values, grads) = try valueAndGrad(of: { x in [(x[0] * x[1]).sum(), x[0] + 1] }, at: [a, b], argnums: [1])
        XCTAssertEqual(try values[0].item(), 11)
        XCTAssertEqual(try values[1].toArray(), [2, 3])
        XCTAssertEqual(grads.count, 1)
        XCTAssertEqual(try grads[0].toArray(), [1, 2])
    }

    func testNonScalarLossAndSwiftErrorsComeBackAsErrors() {
        XCTAssertThrowsError(try valueAndGrad(of: { [$0[0] * 2] }, at: [Tensor([1, 2])]))
        struct Boom: Error {}
        XCTAssertThrowsError(try valueAndGrad(of: { _ in throw Boom() }, at: [Tensor([1])])) { XCTAssertTrue($0 is Boom) }
    }

    func testVJPWithCotangents() throws {
        let (outs, vjps) = try vjp(of: { [$0[0].square()] }, at: [Tensor([1, 2, 3])], cotangents: [Tensor([1, 0, 2])])
        XCTAssertEqual(try outs[0].toArray(), [1, 4, 9])
        XCTAssertEqual(try vjps[0].toArray(), [2, 0, 12])
    }

    func testCompiledFunctionMatchesPlain() throws {
        let f: ([Tensor]) throws -> [Tensor] = { [($0[0] * 3 + 1).tanh()] }
        let compiled = try CompiledFunction(f)
        let x = Tensor.normal([4, 5], key: RandomKey(seed: 2))
        try assertClose(try compiled([x])[0], try f([x])[0], atol: 1e-6)
    }
}
