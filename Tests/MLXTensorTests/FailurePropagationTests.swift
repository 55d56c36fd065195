@testable import MLXTensor
import XCTest

/// A failed tensor pushed through every public op comes out failed with its original message:
/// no op reads the failed tensor's empty shape and traps or replaces the message with its own.
final class FailurePropagationTests: XCTestCase {
    let original = TensorError.mlx("[test] the original failure")
    lazy var bad = Tensor(failure: original)
    let x2 = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    let img = Tensor(Array(repeating: 0.5, count: 2 * 4 * 4 * 4), shape: [2, 4, 4, 4])
    let w2 = Tensor(Array(repeating: 0.1, count: 4 * 3 * 3 * 4), shape: [4, 3, 3, 4])
    let qkv = Tensor(Array(repeating: 0.1, count: 1 * 2 * 3 * 4), shape: [1, 2, 3, 4])
    let freqs = Tensor([1, 0.5])

    /// Every public op with the failed tensor in each tensor argument position.
    var cases: [(String, () -> [Tensor])] {
        let b = bad, x = x2
        let unary: [(String, (Tensor) -> Tensor)] = [
            ("reshaped", { $0.reshaped([-1]) }), ("reshaped...", { $0.reshaped(3, 2) }), ("transposed", { $0.transposed([1, 0]) }),
            ("transposed...", { $0.transposed(1, 0) }), ("T", { $0.T }), ("swappedAxes", { $0.swappedAxes(0, 1) }),
            ("expandedDims", { $0.expandedDims(0) }), ("squeezed", { $0.squeezed() }), ("broadcast", { $0.broadcast(to: [2, 2, 3]) }),
            ("flattened", { $0.flattened() }), ("flattened(1,2)", { $0.flattened(1, 2) }), ("padded", { $0.padded([(1, 1)]) }),
            ("repeated", { $0.repeated(2, axis: 0) }), ("tiled", { $0.tiled([2, 1]) }), ("flipped", { $0.flipped(axis: 0) }),
            ("contiguous", { $0.contiguous() }), ("subscript", { $0[0, 1..<2] }), ("subscript[]", { $0[[.whole, .insertedAxis]] }),
            ("neg", { -$0 }), ("+f", { $0 + 1 }), ("-f", { $0 - 1 }), ("*f", { $0 * 2 }), ("/f", { $0 / 2 }),
            ("f+", { 1 + $0 }), ("f-", { 1 - $0 }), ("f*", { 2 * $0 }), ("f/", { 2 / $0 }),
            ("pow(f)", { $0.pow(2) }), ("maximum(f)", { $0.maximum(0) }), ("minimum(f)", { $0.minimum(0) }),
            ("clipped", { $0.clipped(0, 1) }), ("asType", { $0.asType(.float16) }),
            (".==f", { $0 .== 1 }), (".<f", { $0 .< 1 }), (".<=f", { $0 .<= 1 }), (".>f", { $0 .> 1 }), (".>=f", { $0 .>= 1 }),
            ("logicalNot", { $0.logicalNot() }),
            ("abs", { $0.abs() }), ("exp", { $0.exp() }), ("log", { $0.log() }), ("log1p", { $0.log1p() }), ("sqrt", { $0.sqrt() }),
            ("rsqrt", { $0.rsqrt() }), ("sin", { $0.sin() }), ("cos", { $0.cos() }), ("tanh", { $0.tanh() }), ("erf", { $0.erf() }),
            ("erfinv", { $0.erfinv() }), ("sigmoid", { $0.sigmoid() }), ("square", { $0.square() }), ("floor", { $0.floor() }),
            ("ceil", { $0.ceil() }), ("rounded", { $0.rounded() }), ("reciprocal", { $0.reciprocal() }), ("isNaN", { $0.isNaN() }),
            ("stopGradient", { $0.stopGradient() }), ("copy", { $0.copy() }), ("silu", { $0.silu() }),
            ("siluComposed", { $0.siluComposed() }), ("gelu", { $0.gelu() }), ("geluTanh", { $0.geluTanh() }),
            ("geluTanhComposed", { $0.geluTanhComposed() }), ("relu", { $0.relu() }),
            ("sum", { $0.sum() }), ("mean", { $0.mean(axes: [0]) }), ("max", { $0.max() }), ("min", { $0.min() }),
            ("prod", { $0.prod() }), ("logSumExp", { $0.logSumExp() }), ("all", { $0.all() }), ("any", { $0.any() }),
            ("argMax", { $0.argMax(axis: 0) }), ("argMin", { $0.argMin(axis: 0) }), ("variance", { $0.variance(ddof: 1) }),
            ("cumsum", { $0.cumsum(axis: 0) }), ("softmax", { $0.softmax() }), ("softmax(0)", { $0.softmax(axes: [0]) }),
            ("softmaxComposed", { $0.softmaxComposed() }), ("sorted", { $0.sorted() }), ("argSort", { $0.argSort() }),
            ("zeros(like)", { Tensor.zeros(like: $0) }), ("ones(like)", { Tensor.ones(like: $0) }),
            ("upsampledNearest2x", { $0.upsampledNearest2x() }), ("rope", { $0.rope(dims: 4, traditional: false) }),
            ("layerNorm", { $0.layerNorm(eps: 1e-5) }), ("layerNormComposed", { $0.layerNormComposed(eps: 1e-5) }),
            ("rmsNorm", { $0.rmsNorm(eps: 1e-5) }), ("rmsNormComposed", { $0.rmsNormComposed(eps: 1e-5) }),
            ("groupNorm", { $0.groupNorm(groups: 2, weight: nil, bias: nil, eps: 1e-5) }),
            ("groupNorm+silu", { $0.groupNorm(groups: 2, weight: nil, bias: nil, eps: 1e-5, silu: true) }),
            ("groupNormComposed", { $0.groupNormComposed(groups: 2, weight: nil, bias: nil, eps: 1e-5) }),
            ("transposedContiguous", { $0.transposedContiguous(1, 0) }),
        ]
        // Binary ops, the failed tensor first and second.
        let binary: [(String, (Tensor, Tensor) -> Tensor)] = [
            ("+", { $0 + $1 }), ("-", { $0 - $1 }), ("*", { $0 * $1 }), ("/", { $0 / $1 }), ("pow", { $0.pow($1) }),
            ("maximum", { $0.maximum($1) }), ("minimum", { $0.minimum($1) }), ("remainder", { $0.remainder($1) }),
            ("floorDivide", { $0.floorDivide($1) }), ("atan2", { $0.atan2($1) }), (".==", { $0 .== $1 }), (".!=", { $0 .!= $1 }),
            (".<", { $0 .< $1 }), (".<=", { $0 .<= $1 }), (".>", { $0 .> $1 }), (".>=", { $0 .>= $1 }),
            (".&&", { $0 .&& $1 }), (".||", { $0 .|| $1 }), ("matmul", { $0.matmul($1.T) }),
            ("concatenate", { Tensor.concatenate([$0, $1]) }), ("stack", { Tensor.stack([$0, $1]) }),
            ("take", { $0.take($1.asType(.int32), axis: 0) }), ("takeAlong", { $0.takeAlong($1.asType(.int32), axis: 0) }),
            ("updatingSlice", { $0.updatingSlice(start: [0, 0], with: $1) }), ("modulated", { $0.modulated(shift: $1, scale: $1) }),
            ("layerNormModulated", { $0.layerNormModulated(shift: $1, scale: $1, eps: 1e-5) }),
            ("addingGated", { $0.addingGated($1, gate: $1) }), ("layerNorm(w,b)", { $0.layerNorm(weight: $1, bias: $1, eps: 1e-5) }),
            ("rmsNorm(w)", { $0.rmsNorm(weight: $1, eps: 1e-5) }),
            ("groupNorm(w,b)", { $0.groupNorm(groups: 1, weight: $1, bias: $1, eps: 1e-5) }),
            ("groupNormComposed(w,b)", { $0.groupNormComposed(groups: 1, weight: $1, bias: $1, eps: 1e-5) }),
        ]
        var result = [(String, () -> [Tensor])]()
        for (name, f) in unary { result.append((name, { [f(b)] })) }
        for (name, f) in binary {
            result.append(("\(name)(bad, x)", { [f(b, x)] }))
            result.append(("\(name)(x, bad)", { [f(x, b)] }))
        }
        let i = img, w = w2, q = qkv, fr = freqs
        result += [
            ("split(parts)", { b.split(parts: 2, axis: 1) }), ("split(parts, -1)", { b.split(parts: 3, axis: -1) }),
            ("split(at)", { b.split(at: [1], axis: 0) }),
            ("where(bad, x, x)", { [Tensor.where(b, x, x)] }), ("where(c, bad, x)", { [Tensor.where(x .> 2, b, x)] }),
            ("where(c, x, bad)", { [Tensor.where(x .> 2, x, b)] }),
            ("addmm(bad)", { [Tensor.addmm(b, x, x.T)] }), ("addmm(a=bad)", { [Tensor.addmm(x, b, x.T)] }),
            ("addmm(b=bad)", { [Tensor.addmm(x, x, b)] }),
            ("conv(bad, w)", { [b.convolved(with: w, padding: [(1, 1), (1, 1)])] }),
            ("conv(x, bad)", { [i.convolved(with: b, padding: [(1, 1), (1, 1)])] }),
            ("conv groups 3-D", { [b.convolved(with: w, groups: 2)] }),
            ("conv+bias(bad)", { [b.convolved(with: w, bias: nil, stride: [1, 1], padding: [(1, 1), (1, 1)], dilation: [1, 1], groups: 1)] }),
            ("conv+bias(w=bad)", { [i.convolved(with: b, bias: nil, stride: [1, 1], padding: [(1, 1), (1, 1)], dilation: [1, 1], groups: 1)] }),
            ("conv+bias(bias=bad)", { [i.convolved(with: w, bias: b, stride: [1, 1], padding: [(1, 1), (1, 1)], dilation: [1, 1], groups: 1)] }),
            ("conv+bias(residual=bad)", {
                [i.convolved(with: w, bias: nil, stride: [1, 1], padding: [(1, 1), (1, 1)], dilation: [1, 1], groups: 1, residual: b)]
            }),
            ("convT(bad)", { [b.convolvedTransposed(with: w, stride: [1, 1], padding: [1, 1])] }),
            ("convT(w=bad)", { [i.convolvedTransposed(with: b, stride: [1, 1], padding: [1, 1])] }),
            ("sdpa(q=bad)", { [scaledDotProductAttention(queries: b, keys: q, values: q, scale: 0.5)] }),
            ("sdpa(k=bad)", { [scaledDotProductAttention(queries: q, keys: b, values: q, scale: 0.5)] }),
            ("sdpa(v=bad)", { [scaledDotProductAttention(queries: q, keys: q, values: b, scale: 0.5)] }),
            ("sdpa(mask=bad)", { [scaledDotProductAttention(queries: q, keys: q, values: q, scale: 0.5, mask: b)] }),
            ("rope(freqs=bad)", { [q.rope(dims: 4, traditional: true, freqs: b)] }),
            ("rotatedPairs(bad)", { [b.rotatedPairs(freqs: fr)] }), ("rotatedPairs(freqs=bad)", { [q.rotatedPairs(freqs: b)] }),
            ("normal(key=bad)", { [Tensor.normal([2], key: RandomKey(tensor: b))] }),
            ("uniform(key=bad)", { [Tensor.uniform([2], key: RandomKey(tensor: b))] }),
            ("randint(key=bad)", { [Tensor.randint([2], low: 0, high: 3, key: RandomKey(tensor: b))] }),
            ("bernoulli(p=bad)", { [Tensor.bernoulli(b, shape: [2], key: RandomKey(seed: 1))] }),
            ("bernoulli(key=bad)", { [Tensor.bernoulli(Tensor(0.5), shape: [2], key: RandomKey(tensor: b))] }),
            ("categorical(bad)", { [Tensor.categorical(logits: b, key: RandomKey(seed: 1))] }),
            ("categorical(key=bad)", { [Tensor.categorical(logits: x, key: RandomKey(tensor: b))] }),
            ("RandomKey.split", { RandomKey(tensor: b).split(into: 3).map(\.tensor) }),
            ("RandomKey.split(0)", { RandomKey(tensor: b).split(into: 0).map(\.tensor) }),
            ("RandomKey.child", { [RandomKey(tensor: b).child(2).tensor] }),
            ("RandomKey.child(-1)", { [RandomKey(tensor: b).child(-1).tensor] }),
        ]
        if let group = try? ProcessGroup() {
            result += [
                ("allSum", { [group.allSum(b)] }), ("allMax", { [group.allMax(b)] }), ("allGather", { [group.allGather(b)] }),
                ("send", { [group.send(b, to: 0)] }),
            ]
        }
        return result
    }

    func testEveryOpPassesOnTheOriginalFailure() {
        for kernels in [true, false] {
            CPUKernels.withEnabled(kernels) {
                for (name, op) in cases {
                    let outputs = op()
                    XCTAssertFalse(outputs.isEmpty, "\(name) returned no tensors")
                    for out in outputs {
                        XCTAssertEqual(out.failure, original, "\(name) (kernels \(kernels)) gave \(out)")
                        XCTAssertEqual(out.shape, [], name)
                    }
                }
            }
        }
    }

    /// The table above is not vacuous: with healthy inputs the same ops succeed.
    func testTheSameOpsSucceedOnHealthyInputs() throws {
        XCTAssertEqual(try x2.split(parts: 3, axis: 1).map { try $0.toArray() }, [[1, 4], [2, 5], [3, 6]])
        XCTAssertEqual(try Tensor.zeros(like: x2).toArray(), [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(try x2.padded([(1, 0)]).toArray(), [0, 0, 0, 1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try img.convolved(with: w2, padding: [(1, 1), (1, 1)]).checked().shape, [2, 4, 4, 4])
        XCTAssertEqual(try scaledDotProductAttention(queries: qkv, keys: qkv, values: qkv, scale: 0.5).checked().shape, [1, 2, 3, 4])
    }

    func testHostCopiesAndEvaluationThrowTheOriginalFailure() {
        let b = bad
        let calls: [(String, () throws -> Void)] = [
            ("eval", { try b.eval() }), ("eval([])", { try Tensor.eval([self.x2, b]) }), ("checked", { try b.checked() }),
            ("toArray", { _ = try b.toArray() }), ("toInt32Array", { _ = try b.toInt32Array() }),
            ("toInt64Array", { _ = try b.toInt64Array() }), ("toBoolArray", { _ = try b.toBoolArray() }),
            ("toBytes", { _ = try b.toBytes() }), ("item", { _ = try b.item() }),
            ("valueAndGrad", { _ = try valueAndGrad(of: { [$0[0].sum()] }, at: [b]) }),
            ("vjp", { _ = try vjp(of: { $0 }, at: [b], cotangents: [self.x2]) }),
            ("compiled", { _ = try CompiledFunction { $0 }([b]) }),
        ]
        for (name, call) in calls {
            XCTAssertThrowsError(try call(), name) { XCTAssertEqual($0 as? TensorError, original, name) }
        }
    }

    /// A healthy tensor with too few axes for a convolution fails with a message (it used to build
    /// `Array(repeating:count: ndim − 2)` with a negative count and trap).
    func testConvolutionsOfOneAxisTensorsFailWithoutTrapping() {
        let v = Tensor([1, 2, 3])
        let plain = v.convolved(with: v, bias: nil, stride: [1], padding: [(0, 0)], dilation: [1], groups: 1)
        XCTAssertEqual(plain.failure, .shapeMismatch(
            "[conv] input [3] and weight [3] must both be (spatial axes + 2)-D, channels last"))
        let transposed = v.convolvedTransposed(with: v, stride: [1], padding: [0])
        XCTAssertEqual(transposed.failure, .shapeMismatch(
            "[conv_transpose] input [3], weight [3]: 1 to 3 spatial axes, one stride/padding each"))
    }

    func testDimNeverTraps() {
        XCTAssertEqual(x2.dim(1), 3)
        XCTAssertEqual(x2.dim(-2), 2)
        XCTAssertEqual(x2.dim(2), 0)
        XCTAssertEqual(x2.dim(-3), 0)
        XCTAssertEqual(bad.dim(0), 0)
        XCTAssertEqual(bad.dim(-1), 0)
    }
}
