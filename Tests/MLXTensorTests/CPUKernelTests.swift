import MLXTensor
import Foundation
import XCTest

/// Every CPU kernel against MLX's composed op on random inputs (odd sizes, SIMD tails, non-contiguous
/// views, broadcast modulation), and its gradient against the composed gradient and finite differences.
final class CPUKernelTests: XCTestCase {
    /// Gradients of `f` with the kernels on, checked against the composed ops' gradients.
    @discardableResult
    func assertGradientsMatchComposed(_ f: @escaping ([Tensor]) -> [Tensor], at inputs: [Tensor], atol: Float = 1e-5,
                                      file: StaticString = #filePath, line: UInt = #line) throws -> (values: [Tensor], grads: [Tensor]) {
        let kernel = try CPUKernels.withEnabled(true) { try valueAndGrad(of: f, at: inputs) }
        let composed = try CPUKernels.withEnabled(false) { try valueAndGrad(of: f, at: inputs) }
        let reference = try composed.values[0].item()
        XCTAssertEqual(try kernel.values[0].item(), reference, accuracy: 1e-4 * max(1, abs(reference)), file: file, line: line)
        for i in inputs.indices {
            try assertClose(kernel.grads[i], composed.grads[i], atol: atol, rtol: 1e-4, "grad \(i)", file: file, line: line)
        }
        return kernel
    }

    func random(_ shape: [Int], _ seed: UInt64, scale: Float = 3) -> Tensor { Tensor.normal(shape, key: RandomKey(seed: seed)) * scale }

    /// `f` with the kernels on and off (the composed reference).
    func both(_ f: () -> Tensor) throws -> (kernel: Tensor, composed: Tensor) {
        let k = try CPUKernels.withEnabled(true) { try f().eval() }
        let c = try CPUKernels.withEnabled(false) { try f().eval() }
        return (k, c)
    }

    func testElementwiseKernelsMatchComposedOps() throws {
        for shape in [[1], [17], [3, 31], [2, 5, 67], [4097]] {
            let x = random(shape, UInt64(shape.reduce(0, +)))
            let g = try both { x.geluTanh() }
            try assertClose(g.kernel, g.composed, atol: 1e-6, rtol: 1e-5, "gelu \(shape)")
            let s = try both { x.silu() }
            try assertClose(s.kernel, s.composed, atol: 1e-6, rtol: 1e-5, "silu \(shape)")
        }
        // Extremes: large |x| saturate without NaN.
        let extreme = Tensor([-100, -20, -1e-3, 0, 1e-3, 20, 100])
        let g = try both { extreme.geluTanh() }
        try assertClose(g.kernel, g.composed, atol: 1e-6, rtol: 1e-5, "gelu extremes")
    }

    func testNormalisationAndSoftmaxKernelsMatchComposedOps() throws {
        for (b, n, c) in [(1, 1, 7), (2, 5, 33), (3, 4, 128), (1, 3, 1152)] {
            let x = random([b, n, c], UInt64(b * 1000 + n * 10 + c)) + 0.5
            let shift = random([b, 1, c], 5, scale: 0.3), scale = random([b, 1, c], 6, scale: 0.3)
            let m = try both { x.layerNormModulated(shift: shift, scale: scale, eps: 1e-6) }
            try assertClose(m.kernel, m.composed, atol: 1e-5, rtol: 1e-5, "layer norm modulate \([b, n, c])")
            let plain = try both { x.layerNorm(eps: 1e-6) }
            try assertClose(plain.kernel, plain.composed, atol: 1e-5, rtol: 1e-5, "layer norm \([b, n, c])")
            let soft = try both { x.softmax(axes: [-1]) }
            try assertClose(soft.kernel, soft.composed, atol: 1e-7, rtol: 1e-5, "softmax \([b, n, c])")
        }
    }

    func testNonContiguousInputsAndMaskedAttention() throws {
        let x = random([6, 9, 20], 11).transposed(2, 0, 1)[.stride(1, nil, 2)]  // a strided view
        let g = try both { x.geluTanh() }
        try assertClose(g.kernel, g.composed, atol: 1e-6, rtol: 1e-5, "gelu on a view")
        let soft = try both { x.softmax(axes: [-1]) }
        try assertClose(soft.kernel, soft.composed, atol: 1e-7, rtol: 1e-5, "softmax on a view")
        let q = random([2, 3, 5, 8], 12, scale: 1), k = random([2, 3, 7, 8], 13, scale: 1), v = random([2, 3, 7, 8], 14, scale: 1)
        let mask = Tensor([true, true, false, true, false, true, true, true, true, true, false, false, false, false], shape: [2, 1, 1, 7])
        let a = try both { scaledDotProductAttention(queries: q, keys: k, values: v, scale: 0.35, mask: mask) }
        try assertClose(a.kernel, a.composed, atol: 1e-6, rtol: 1e-5, "masked attention")
    }

    func testKernelGradientsMatchComposedGradientsAndFiniteDifferences() throws {
        let x = random([2, 3, 9], 21, scale: 1), shift = random([2, 1, 9], 22, scale: 0.3), scale = random([2, 1, 9], 23, scale: 0.3)
        let weights = random([2, 3, 9], 24, scale: 1)
        let f: ([Tensor]) -> [Tensor] = { t in
            [((t[0].layerNormModulated(shift: t[1], scale: t[2], eps: 1e-6).geluTanh() + t[0].silu()).softmax(axes: [-1]) * weights).sum()]
        }
        let kernel = try assertGradientsMatchComposed(f, at: [x, shift, scale])
        // One element by central differences, through the kernels.
        let flat = try x.toArray(), h: Float = 1e-2
        func value(_ d: Float) throws -> Float {
            var v = flat
            v[4] += d
            return try f([Tensor(v, shape: x.shape), shift, scale])[0].item()
        }
        XCTAssertEqual(try kernel.grads[0].reshaped(-1)[4].item(), (try value(h) - value(-h)) / (2 * h), accuracy: 2e-3)
    }
}

extension CPUKernelTests {
    func testGroupNormKernelMatchesComposedOp() throws {
        for (shape, groups) in [([2, 5, 7, 8], 4), ([1, 3, 4, 4, 6], 2), ([1, 300, 96], 32), ([3, 1, 1, 4], 1)] {
            let x = random(shape, UInt64(shape.reduce(1, *))) + 1.5
            let c = shape.last!
            let w = random([c], 31, scale: 0.5) + 1, b = random([c], 32, scale: 0.2)
            for silu in [false, true] {
                let r = try both { x.groupNorm(groups: groups, weight: w, bias: b, eps: 1e-6, silu: silu) }
                try assertClose(r.kernel, r.composed, atol: 2e-5, rtol: 2e-5, "group norm \(shape) silu \(silu)")
            }
        }
        XCTAssertThrowsError(try Tensor.zeros([1, 4, 6]).groupNorm(groups: 4, weight: nil, bias: nil, eps: 1e-5).eval())
    }

    func testGroupNormGradientMatchesComposed() throws {
        let x = random([1, 4, 6], 41, scale: 1), w = random([6], 42, scale: 0.3) + 1, b = random([6], 43, scale: 0.1)
        let weights = random([1, 4, 6], 44, scale: 1)
        let f: ([Tensor]) -> [Tensor] = { [($0[0].groupNorm(groups: 2, weight: $0[1], bias: $0[2], eps: 1e-5, silu: true) * weights).sum()] }
        try assertGradientsMatchComposed(f, at: [x, w, b])
    }
}

extension CPUKernelTests {
    func testUnmaskedAttentionKernelAndItsGradient() throws {
        for (lq, lk) in [(5, 7), (1, 3), (33, 17)] {
            let q = random([2, 3, lq, 8], UInt64(lq), scale: 1), k = random([2, 3, lk, 8], UInt64(lk + 50), scale: 1)
            let v = random([2, 3, lk, 8], UInt64(lk + 90), scale: 1)
            let a = try both { scaledDotProductAttention(queries: q, keys: k, values: v, scale: 0.35) }
            try assertClose(a.kernel, a.composed, atol: 1e-6, rtol: 1e-5, "attention \(lq)x\(lk)")
        }
        let q = random([1, 2, 4, 8], 61, scale: 1), k = random([1, 2, 6, 8], 62, scale: 1), v = random([1, 2, 6, 8], 63, scale: 1)
        let f: ([Tensor]) -> [Tensor] = { [scaledDotProductAttention(queries: $0[0], keys: $0[1], values: $0[2], scale: 0.35).square().sum()] }
        try assertGradientsMatchComposed(f, at: [q, k, v])
    }
}

extension CPUKernelTests {
    func testRMSNormAndGatedResidualKernels() throws {
        for shape in [[3, 4, 2, 72], [1, 7], [2, 3, 129]] {
            let x = random(shape, UInt64(shape.reduce(0, +)))
            let w = random([shape.last!], 71, scale: 0.2) + 1
            let r = try both { x.rmsNorm(weight: w, eps: 1e-6) }
            try assertClose(r.kernel, r.composed, atol: 1e-6, rtol: 1e-5, "rms norm \(shape)")
            let plain = try both { x.rmsNorm(eps: 1e-6) }
            try assertClose(plain.kernel, plain.composed, atol: 1e-6, rtol: 1e-5, "rms norm without weight \(shape)")
        }
        let x = random([2, 5, 33], 81), o = random([2, 5, 33], 82), g = random([2, 1, 33], 83)
        let r = try both { x.addingGated(o, gate: g) }
        try assertClose(r.kernel, r.composed, atol: 1e-6, rtol: 1e-6, "gated residual")
        let f: ([Tensor]) -> [Tensor] = { [($0[0].addingGated($0[1], gate: $0[2]).rmsNorm(weight: nil, eps: 1e-6) * x).sum()] }
        try assertGradientsMatchComposed(f, at: [x, o, g])
    }
}

extension CPUKernelTests {
    func testTapGEMMConvolutionMatchesMLXConvolution() throws {
        let cases: [([Int], [Int], [(Int, Int)])] = [
            ([2, 7, 6, 5], [4, 3, 3, 5], [(1, 1), (1, 1)]),           // 2-D, same padding
            ([1, 9, 8, 3], [6, 1, 1, 3], [(0, 0), (0, 0)]),           // 1×1
            ([1, 5, 4, 6, 2], [3, 3, 3, 3, 2], [(2, 0), (1, 1), (1, 1)]),  // causal 3-D
            ([2, 4, 5, 3, 4], [5, 3, 1, 3, 4], [(1, 1), (0, 0), (2, 1)]),  // asymmetric
        ]
        for (xs, ws, pad) in cases {
            let x = random(xs, UInt64(xs.reduce(0, +)), scale: 1), w = random(ws, UInt64(ws.reduce(0, +) + 7), scale: 0.3)
            let b = random([ws[0]], 99, scale: 0.1)
            let n = xs.count - 2
            let r = try both { x.convolved(with: w, bias: b, stride: Array(repeating: 1, count: n), padding: pad,
                                           dilation: Array(repeating: 1, count: n), groups: 1) }
            try assertClose(r.kernel, r.composed, atol: 1e-5, rtol: 1e-5, "conv \(xs) \(ws)")
        }
        let x = random([1, 4, 4, 2], 5, scale: 1), w = random([3, 3, 3, 2], 6, scale: 0.3)
        let f: ([Tensor]) -> [Tensor] = { [$0[0].convolved(with: $0[1], bias: nil, stride: [1, 1], padding: [(1, 1), (0, 2)], dilation: [1, 1], groups: 1).square().sum()] }
        try assertGradientsMatchComposed(f, at: [x, w], atol: 1e-4)
    }
}

extension CPUKernelTests {
    func testConvolutionWithResidualAndNearestUpsampling() throws {
        let x = random([2, 5, 4, 3], 91, scale: 1), w = random([6, 3, 3, 3], 92, scale: 0.3), b = random([6], 93, scale: 0.1)
        let residual = random([2, 5, 4, 6], 94, scale: 1)
        let r = try both { x.convolved(with: w, bias: b, stride: [1, 1], padding: [(1, 1), (1, 1)], dilation: [1, 1], groups: 1, residual: residual) }
        try assertClose(r.kernel, r.composed, atol: 1e-5, rtol: 1e-5, "conv + residual")
        let up = try both { x.upsampledNearest2x() }
        XCTAssertEqual(up.kernel.shape, [2, 10, 8, 3])
        XCTAssertEqual(try up.kernel.toArray(), try up.composed.toArray())
        try assertGradientsMatchComposed({ [($0[0].upsampledNearest2x() * $0[0].upsampledNearest2x()).sum()] }, at: [x])
    }
}

extension CPUKernelTests {
    /// [N, spatial…, Cout] of a channels-last convolution of input shape `xs` by weight shape `ws`.
    func convolutionOutput(_ xs: [Int], _ ws: [Int], stride: [Int], padding: [(Int, Int)]) -> [Int] {
        [xs[0]] + (0..<(xs.count - 2)).map { a in (xs[1 + a] + padding[a].0 + padding[a].1 - ws[1 + a]) / stride[a] + 1 } + [ws[0]]
    }

    /// The convolution's gradients are kernels too (dx: the flipped convolution; dw: one GEMM per tap):
    /// checked against MLX's own convolution gradient and central differences, causal 3-D and 2-D,
    /// with bias and residual, and with padding wider than the kernel (MLX's transpose convolution).
    func testConvolutionGradientKernels() throws {
        let cases: [([Int], [Int], [(Int, Int)])] = [
            ([2, 4, 5, 3, 3], [5, 3, 3, 3, 3], [(2, 0), (1, 1), (1, 1)]),  // causal 3-D
            ([1, 6, 5, 4], [3, 3, 2, 4], [(1, 1), (0, 1)]),              // 2-D, uneven kernel
            ([1, 4, 3, 2], [3, 1, 1, 2], [(1, 0), (0, 2)]),              // 1×1 with padding: falls back for dx
        ]
        for (xs, ws, pad) in cases {
            let n = xs.count - 2
            let outShape = convolutionOutput(xs, ws, stride: Array(repeating: 1, count: n), padding: pad)
            let x = random(xs, 31, scale: 1), w = random(ws, 32, scale: 0.3), b = random([ws[0]], 33, scale: 0.1)
            let residual = random(outShape, 34, scale: 1), probe = random(outShape, 35, scale: 1)
            let f: ([Tensor]) -> [Tensor] = {
                [($0[0].convolved(with: $0[1], bias: $0[2], stride: Array(repeating: 1, count: n), padding: pad,
                                  dilation: Array(repeating: 1, count: n), groups: 1, residual: $0[3]).square() * probe).sum()]
            }
            let kernel = try assertGradientsMatchComposed(f, at: [x, w, b, residual], atol: 1e-3)
            for (input, index) in [(0, 5), (1, 4), (1, ws.reduce(1, *) - 1)] {
                var inputs = [x, w, b, residual]
                let flat = try inputs[input].toArray(), h: Float = 1e-2
                func value(_ d: Float) throws -> Float {
                    var v = flat
                    v[index] += d
                    inputs[input] = Tensor(v, shape: inputs[input].shape)
                    return try f(inputs)[0].item()
                }
                let numeric = (try value(h) - value(-h)) / (2 * h)
                XCTAssertEqual(try kernel.grads[input].reshaped(-1)[index].item(), numeric, accuracy: 2e-2 * max(1, abs(numeric)),
                               "input \(input) element \(index) of \(xs) * \(ws)")
            }
        }
    }
}

extension CPUKernelTests {
    func testRotaryEmbeddingKernelAndItsGradient() throws {
        for (shape, seed) in [([3, 2, 7, 10], UInt64(41)), ([5, 1, 6], 42), ([2, 15, 72], 43)] {
            let half = shape.last! / 2
            let freqs = Tensor((0..<half).map { 1 / Float.pow10000(Float(2 * $0) / Float(2 * half)) })
            let x = random(shape, seed, scale: 1)
            let r = try both { x.rotatedPairs(freqs: freqs) }
            try assertClose(r.kernel, r.composed, atol: 1e-5, rtol: 1e-5, "rope \(shape)")
            // Position 0 is the identity.
            let l = shape[shape.count - 2]
            let first = try x.reshaped(-1, l, 2 * half)[.all, 0].toArray()
            XCTAssertEqual(try r.kernel.reshaped(-1, l, 2 * half)[.all, 0].toArray(), first)
        }
        // Non-contiguous input (a transposed view), and the gradient against composed and central differences.
        let freqs = Tensor([1, 0.3, 0.01])
        let x = random([4, 5, 6], 44, scale: 1).transposed(1, 0, 2)
        let r = try both { x.rotatedPairs(freqs: freqs) }
        try assertClose(r.kernel, r.composed, atol: 1e-5, rtol: 1e-5, "rope of a view")
        let weights = random([5, 4, 6], 45, scale: 1)
        let f: ([Tensor]) -> [Tensor] = { [($0[0].rotatedPairs(freqs: freqs).square() * weights).sum()] }
        let kernel = try assertGradientsMatchComposed(f, at: [x.contiguous()])
        let flat = try x.contiguous().toArray(), h: Float = 1e-2
        func value(_ d: Float) throws -> Float {
            var v = flat
            v[37] += d
            return try f([Tensor(v, shape: [5, 4, 6])])[0].item()
        }
        XCTAssertEqual(try kernel.grads[0].reshaped(-1)[37].item(), (try value(h) - value(-h)) / (2 * h), accuracy: 2e-2)
    }

    func testTransposeKernelAndItsGradient() throws {
        let x = random([2, 3, 4, 5, 6], 51, scale: 1)
        for axes in [[2, 0, 3, 1, 4], [0, 2, 1, 3, 4], [4, 3, 2, 1, 0], [0, 1, 2, 4, 3], [0, 1, 2, 3, 4]] {
            let r = try both { x.transposedContiguous(axes[0], axes[1], axes[2], axes[3], axes[4]) }
            XCTAssertEqual(r.kernel.shape, axes.map { x.shape[$0] })
            XCTAssertEqual(try r.kernel.toArray(), try r.composed.toArray(), "axes \(axes)")
        }
        let view = x[.all, .stride(nil, nil, 2)]  // non-contiguous input
        let v = try both { view.transposedContiguous(3, 1, 0, 2, 4) }
        XCTAssertEqual(try v.kernel.toArray(), try v.composed.toArray())
        let weights = random([3, 5, 2, 4, 6], 52, scale: 1)
        try assertGradientsMatchComposed({ [($0[0].transposedContiguous(1, 3, 0, 2, 4).square() * weights).sum()] }, at: [x])
    }
}

private extension Float {
    static func pow10000(_ e: Float) -> Float { Float(Foundation.pow(10000.0, Double(e))) }
}

extension CPUKernelTests {
    /// 3×3 kernels over ≥ 32 channels run Winograd F(2×2, 3×3): odd output sizes (partial tiles),
    /// causal 3-D, asymmetric padding, more tiles than one block, bias + residual, and the gradient.
    func testWinogradConvolutionMatchesMLXConvolution() throws {
        let cases: [([Int], [Int], [(Int, Int)])] = [
            ([2, 7, 9, 32], [40, 3, 3, 32], [(1, 1), (1, 1)]),               // odd H and W
            ([1, 3, 6, 5, 33], [32, 3, 3, 3, 33], [(2, 0), (1, 1), (1, 1)]),  // causal 3-D, odd cin
            ([1, 20, 23, 48], [36, 3, 3, 48], [(0, 1), (2, 0)]),             // asymmetric, 2 blocks of tiles
            ([1, 2, 4, 4, 32], [32, 1, 3, 3, 32], [(0, 0), (0, 0), (0, 0)]), // kt = 1, valid padding
        ]
        for (xs, ws, pad) in cases {
            let n = xs.count - 2
            let outShape = convolutionOutput(xs, ws, stride: Array(repeating: 1, count: n), padding: pad)
            let x = random(xs, 61, scale: 1), w = random(ws, 62, scale: 0.1), b = random([ws[0]], 63, scale: 0.1)
            let residual = random(outShape, 64, scale: 1)
            let r = try both { x.convolved(with: w, bias: b, stride: Array(repeating: 1, count: n), padding: pad,
                                           dilation: Array(repeating: 1, count: n), groups: 1, residual: residual) }
            XCTAssertEqual(r.kernel.shape, outShape)
            try assertClose(r.kernel, r.composed, atol: 2e-5, rtol: 1e-5, "winograd conv \(xs) * \(ws)")
        }
        let x = random([1, 5, 7, 32], 65, scale: 1), w = random([32, 3, 3, 32], 66, scale: 0.1)
        let probe = random([1, 5, 7, 32], 67, scale: 1)
        try assertGradientsMatchComposed({
            [($0[0].convolved(with: $0[1], bias: nil, stride: [1, 1], padding: [(1, 1), (1, 1)], dilation: [1, 1], groups: 1) * probe)
                .square().sum()]
        }, at: [x, w], atol: 1e-3)
    }
}

extension CPUKernelTests {
    /// Strided convolutions: the SDXL downsample (3×3, stride 2, right/bottom pad), the temporal VAE's
    /// time stride (taps and Winograd), a mixed stride; forward and gradients against MLX's convolution.
    func testStridedConvolutionKernels() throws {
        let cases: [([Int], [Int], [Int], [(Int, Int)])] = [
            ([2, 9, 8, 5], [4, 3, 3, 5], [2, 2], [(0, 1), (0, 1)]),                    // SDXL Downsample2D
            ([1, 7, 5, 4, 3], [5, 3, 3, 3, 3], [2, 1, 1], [(1, 0), (1, 1), (1, 1)]),    // time stride, taps
            ([1, 6, 5, 7, 32], [32, 3, 3, 3, 32], [2, 1, 1], [(1, 0), (1, 1), (1, 1)]), // time stride, Winograd
            ([1, 5, 9, 11, 3], [4, 1, 3, 2, 3], [1, 3, 2], [(0, 0), (1, 2), (0, 1)]),   // mixed strides
            // Output blocks (64 rows at 2048 channels) that start inside an output row / plane, and a
            // weight gradient whose two threads split an output row (2156 rows).
            ([1, 12, 30, 8], [2048, 3, 3, 8], [2, 2], [(1, 1), (1, 1)]),
            ([1, 5, 7, 9, 4], [2048, 3, 3, 3, 4], [2, 1, 1], [(2, 0), (1, 1), (1, 1)]),
            ([1, 99, 88, 2], [3, 3, 3, 2], [2, 2], [(0, 1), (0, 1)]),
        ]
        for (xs, ws, stride, pad) in cases {
            let n = xs.count - 2
            let x = random(xs, 71, scale: 1), w = random(ws, 72, scale: 0.2), b = random([ws[0]], 73, scale: 0.1)
            let conv: ([Tensor]) -> Tensor = {
                $0[0].convolved(with: $0[1], bias: $0[2], stride: stride, padding: pad, dilation: Array(repeating: 1, count: n), groups: 1)
            }
            let r = try both { conv([x, w, b]) }
            XCTAssertEqual(r.kernel.shape, convolutionOutput(xs, ws, stride: stride, padding: pad))
            try assertClose(r.kernel, r.composed, atol: 2e-5, rtol: 1e-5, "strided conv \(xs) * \(ws) / \(stride)")
            let probe = random(r.kernel.shape, 74, scale: 1)
            try assertGradientsMatchComposed({ [(conv($0) * probe).square().sum()] }, at: [x, w, b], atol: 1e-3)
        }
    }
}

extension CPUKernelTests {
    /// The backward kernels (attention, GELU) against the composed ops' VJPs: slices in parallel and
    /// one at a time, several row blocks per slice (lk 700 → 93-row blocks), cross-attention shapes.
    func testAttentionAndGELUBackwardKernelsMatchComposedVJPs() throws {
        for (batch, heads, lq, lk, d) in [(1, 2, 5, 7, 8), (3, 4, 9, 6, 16), (1, 2, 200, 700, 8), (2, 3, 1, 3, 4)] {
            let q = random([batch, heads, lq, d], UInt64(lq + 1), scale: 1), k = random([batch, heads, lk, d], UInt64(lk + 2), scale: 1)
            let v = random([batch, heads, lk, d], UInt64(lk + 3), scale: 1), w = random([batch, heads, lq, d], UInt64(lq + 4), scale: 1)
            let f: ([Tensor]) -> [Tensor] = { [(scaledDotProductAttention(queries: $0[0], keys: $0[1], values: $0[2], scale: 0.3) * w).sum()] }
            try assertGradientsMatchComposed(f, at: [q, k, v], atol: 2e-5)
        }
        for shape in [[1], [17], [3, 31], [2, 5, 67], [40_000]] {
            let x = random(shape, UInt64(shape.reduce(0, +) + 7)), w = random(shape, 9, scale: 1)
            try assertGradientsMatchComposed({ [($0[0].geluTanh() * w).sum()] }, at: [x], atol: 1e-5)
        }
        let extreme = Tensor([-100, -20, -1e-3, 0, 1e-3, 20, 100])
        try assertGradientsMatchComposed({ [$0[0].geluTanh().sum()] }, at: [extreme], atol: 1e-5)
        // Second order goes through the composed VJP of the backward kernel.
        let x = random([2, 9], 99, scale: 1)
        let second = try both {
            (try? valueAndGrad(of: { [($0[0].geluTanh() * $0[0]).sum()] }, at: [x]).grads[0].square().sum()) ?? Tensor(0)
        }
        try assertClose(second.kernel, second.composed, atol: 1e-5, rtol: 1e-5, "GELU gradient's value")
    }
}

extension CPUKernelTests {
    /// The GroupNorm backward kernel against the composed VJP: several samples, more than 256 positions
    /// per thread (the float partials' flush), with and without affine and SiLU.
    func testGroupNormBackwardKernelMatchesComposedVJP() throws {
        for (shape, groups) in [([2, 5, 7, 8], 4), ([2, 700, 64], 32), ([1, 3, 4, 4, 6], 2), ([3, 1, 1, 4], 1)] {
            let x = random(shape, UInt64(shape.reduce(1, *) + 3)) + 0.7
            let c = shape.last!
            let w = random([c], 51, scale: 0.5) + 1, b = random([c], 52, scale: 0.2), cot = random(shape, 53, scale: 1)
            for silu in [false, true] {
                try assertGradientsMatchComposed({ [($0[0].groupNorm(groups: groups, weight: $0[1], bias: $0[2], eps: 1e-6, silu: silu) * cot).sum()] },
                                                 at: [x, w, b], atol: 5e-5)
                try assertGradientsMatchComposed({ [($0[0].groupNorm(groups: groups, weight: nil, bias: nil, eps: 1e-6, silu: silu) * cot).sum()] },
                                                 at: [x], atol: 5e-5)
            }
        }
    }
}

extension CPUKernelTests {
    /// The dx path's flipped, transposed weight (built by a kernel) on shapes with channel counts that
    /// are not multiples of its 16-channel jobs, through a gradient and a second-order gradient.
    func testConvolutionInputGradientWithOddChannelCounts() throws {
        for (xs, ws, stride, pad) in [([1, 3, 6, 5, 19], [21, 3, 3, 3, 19], [1, 1, 1], [(2, 0), (1, 1), (1, 1)]),
                                       ([2, 7, 6, 33], [17, 3, 3, 33], [2, 2], [(0, 1), (0, 1)])] {
            let n = xs.count - 2
            let x = random(xs, 91, scale: 1), w = random(ws, 92, scale: 0.2)
            let probe = random(convolutionOutput(xs, ws, stride: stride, padding: pad), 93, scale: 1)
            let conv: ([Tensor]) -> Tensor = {
                $0[0].convolved(with: $0[1], bias: nil, stride: stride, padding: pad, dilation: Array(repeating: 1, count: n), groups: 1)
            }
            try assertGradientsMatchComposed({ [(conv($0) * probe).sum()] }, at: [x, w], atol: 1e-3)
        }
    }
}
