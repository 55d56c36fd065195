import MLXTensor
import XCTest

/// Every op against numpy/scipy values computed in float64 (tools/make_op_fixtures.py).
final class OpsFixtureTests: XCTestCase {
    var f: [String: Tensor] = [:]

    override func setUpWithError() throws {
        f = try Tensor.load(safetensors: fixturesDirectory.appendingPathComponent("ops.safetensors").path)
    }

    func t(_ name: String) -> Tensor { f[name] ?? Tensor(failure: .invalidArgument("fixture has no \(name)")) }

    func testElementwise() throws {
        let a = t("in.a"), b = t("in.b"), pos = t("in.pos")
        let cases: [(String, Tensor)] = [
            ("add", a + b), ("sub", a - b), ("mul", a * b), ("div", a / (b + 3)), ("exp", a.exp()), ("log", pos.log()),
            ("sqrt", pos.sqrt()), ("rsqrt", pos.rsqrt()), ("tanh", a.tanh()), ("erf", a.erf()), ("sigmoid", a.sigmoid()),
            ("sin", a.sin()), ("cos", a.cos()), ("abs", a.abs()), ("square", a.square()), ("silu", a.silu()),
            ("gelu", a.gelu()), ("gelu_tanh", a.geluTanh()), ("maximum", a.maximum(b)), ("pow", pos.pow(1.7)),
        ]
        for (name, got) in cases { try assertClose(got, t("out.\(name)"), atol: 1e-5, rtol: 1e-5, name) }
    }

    func testReductions() throws {
        let a = t("in.a")
        try assertClose(a.sum(axes: [1]), t("out.sum_axis1"), "sum")
        try assertClose(a.mean(axes: [0, 2]), t("out.mean_axes02"), "mean")
        try assertClose(a.max(axes: [2]), t("out.max_axis2"), "max")
        try assertClose(a.min(), t("out.min_all"), "min")
        try assertClose(a.variance(axes: [2]), t("out.var_axis2"), "var")
        XCTAssertEqual(try a.argMax(axis: 2).toInt32Array(), try t("out.argmax_axis2").toInt32Array())
        try assertClose(a.softmax(axes: [-1]), t("out.softmax"), "softmax")
        try assertClose(a.logSumExp(axes: [-1]), t("out.logsumexp"), "logsumexp")
        try assertClose(a.cumsum(axis: 1), t("out.cumsum_axis1"), "cumsum")
    }

    func testLinearAlgebra() throws {
        try assertClose(t("in.x").matmul(t("in.y")), t("out.matmul"), atol: 1e-5, "matmul")
        try assertClose(Tensor.addmm(t("in.c"), t("in.x"), t("in.y"), alpha: 0.5, beta: 2), t("out.addmm"), "addmm")
        try assertClose(t("in.bx").matmul(t("in.by")), t("out.batched_matmul"), "batched matmul")
    }

    func testShapeOps() throws {
        let a = t("in.a")
        try assertClose(a.transposed(2, 0, 1), t("out.transpose_201"), "transpose")
        try assertClose(a[1..., .stride(nil, nil, 2), (-3)...], t("out.slice"), "slice")
        try assertClose(Tensor.concatenate([a, a[.all, 0..<2]], axis: 1), t("out.concat_axis1"), "concat")
        try assertClose(a.padded([(0, 0), (1, 2), (0, 1)], value: 0.5), t("out.pad"), "pad")
    }

    func testNormalizations() throws {
        let a = t("in.a")
        try assertClose(a.layerNorm(weight: t("in.w"), bias: t("in.bb"), eps: 1e-6), t("out.layer_norm"), atol: 1e-5, "layer_norm")
        try assertClose(a.layerNorm(eps: 1e-6), t("out.layer_norm_plain"), atol: 1e-5, "layer_norm plain")
        try assertClose(a.rmsNorm(weight: t("in.w"), eps: 1e-6), t("out.rms_norm"), atol: 1e-5, "rms_norm")
        try assertClose(t("in.g").groupNorm(groups: 2, weight: t("in.gw"), bias: t("in.gb"), eps: 1e-5), t("out.group_norm"),
                        atol: 1e-5, "group_norm")
    }

    func testAttentionAndRoPE() throws {
        let q = t("in.q"), k = t("in.k"), v = t("in.v")
        let scale = 1 / Float(8).squareRoot()
        try assertClose(scaledDotProductAttention(queries: q, keys: k, values: v, scale: scale), t("out.sdpa"), atol: 1e-5, "sdpa")
        let mask = t("in.mask").asType(.bool)
        try assertClose(scaledDotProductAttention(queries: q, keys: k, values: v, scale: scale, mask: mask),
                        t("out.sdpa_masked"), atol: 1e-5, "sdpa masked")
        try assertClose(t("in.r").rope(dims: 8, traditional: true), t("out.rope_traditional"), atol: 1e-5, "rope")
    }
}
