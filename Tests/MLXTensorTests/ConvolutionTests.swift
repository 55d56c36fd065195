import MLXTensor
import XCTest

/// Convolutions against a direct-loop reference (channels last), with stride, padding (also
/// asymmetric, as causal convs use), dilation and groups.
final class ConvolutionTests: XCTestCase {
    struct Case {
        var input: [Int]  // [N, spatial…, Cin]
        var outChannels: Int
        var kernel: [Int]
        var stride: [Int]
        var padding: [(Int, Int)]
        var dilation: [Int]
        var groups: Int
    }

    /// out[n, o…, co] = Σ in[n, o·s + k·d − padLo, ci] · w[co, k…, ci − group start]
    func directConvolution(_ x: [Float], _ w: [Float], _ c: Case) -> (values: [Float], shape: [Int]) {
        let nsp: Int = c.kernel.count
        let cin: Int = c.input[nsp + 1]
        let cinG: Int = cin / c.groups
        let coutG: Int = c.outChannels / c.groups
        let inSp: [Int] = Array(c.input[1...nsp])
        var outSp = [Int]()
        for i in 0..<nsp {
            let span: Int = inSp[i] + c.padding[i].0 + c.padding[i].1 - c.dilation[i] * (c.kernel[i] - 1) - 1
            outSp.append(span / c.stride[i] + 1)
        }
        let xs = rowMajorStrides(c.input), ws = rowMajorStrides([c.outChannels] + c.kernel + [cinG])
        var out = [Float]()
        for b in 0..<c.input[0] {
            for o in gridPositions(outSp) {
                for co in 0..<c.outChannels {
                    let g: Int = co / coutG
                    var acc: Float = 0
                    for k in gridPositions(c.kernel) {
                        var xi: Int = b * xs[0], wi: Int = co * ws[0], inside = true
                        for d in 0..<nsp {
                            let p: Int = o[d] * c.stride[d] + k[d] * c.dilation[d] - c.padding[d].0
                            if p < 0 || p >= inSp[d] { inside = false }
                            xi += p * xs[d + 1]
                            wi += k[d] * ws[d + 1]
                        }
                        guard inside else { continue }
                        for ci in 0..<cinG { acc += x[xi + g * cinG + ci] * w[wi + ci] }
                    }
                    out.append(acc)
                }
            }
        }
        return (out, [c.input[0]] + outSp + [c.outChannels])
    }

    func rowMajorStrides(_ dims: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: dims.count)
        for i in stride(from: dims.count - 2, through: 0, by: -1) { s[i] = s[i + 1] * dims[i + 1] }
        return s
    }

    func gridPositions(_ dims: [Int]) -> [[Int]] {
        dims.reduce([[]]) { acc, d in acc.flatMap { p in (0..<d).map { p + [$0] } } }
    }

    func check(_ c: Case, file: StaticString = #filePath, line: UInt = #line) throws {
        let keys = RandomKey(seed: 7).split(into: 2)
        let x = Tensor.normal(c.input, key: keys[0])
        let w = Tensor.normal([c.outChannels] + c.kernel + [c.input.last! / c.groups], key: keys[1])
        let got = x.convolved(with: w, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups)
        let want = directConvolution(try x.toArray(), try w.toArray(), c)
        try assertClose(got, Tensor(want.values, shape: want.shape), atol: 1e-4, rtol: 1e-4, "\(c)", file: file, line: line)
    }

    func testConv2dStridePaddingGroups() throws {
        try check(Case(input: [2, 7, 6, 4], outChannels: 6, kernel: [3, 3], stride: [1, 1], padding: [(1, 1), (1, 1)], dilation: [1, 1], groups: 1))
        try check(Case(input: [1, 9, 8, 4], outChannels: 4, kernel: [3, 2], stride: [2, 2], padding: [(0, 1), (1, 0)], dilation: [1, 1], groups: 2))
        try check(Case(input: [1, 8, 8, 3], outChannels: 2, kernel: [3, 3], stride: [1, 2], padding: [(2, 2), (0, 0)], dilation: [2, 1], groups: 1))
    }

    func testConv3dCausalPaddingAndStride() throws {
        // Causal in time: pad k−1 frames before, none after.
        try check(Case(input: [1, 5, 4, 4, 2], outChannels: 3, kernel: [3, 3, 3], stride: [1, 1, 1], padding: [(2, 0), (1, 1), (1, 1)], dilation: [1, 1, 1], groups: 1))
        try check(Case(input: [2, 6, 5, 4, 4], outChannels: 4, kernel: [3, 1, 2], stride: [2, 1, 2], padding: [(1, 0), (0, 0), (0, 1)], dilation: [1, 1, 1], groups: 2))
    }

    func testConv1d() throws {
        try check(Case(input: [2, 10, 3], outChannels: 5, kernel: [4], stride: [3], padding: [(2, 1)], dilation: [1], groups: 1))
    }

    func testTransposedConvolutionIsTheAdjointOfConvolution() throws {
        // <conv(x), y> = <x, convT(y)> for the same weight: checks conv_transpose without another loop.
        let keys = RandomKey(seed: 3).split(into: 3)
        let x = Tensor.normal([1, 6, 6, 3], key: keys[0]), w = Tensor.normal([4, 3, 3, 3], key: keys[1])
        let y = Tensor.normal([1, 3, 3, 4], key: keys[2])
        let lhs = (x.convolved(with: w, stride: [2, 2], padding: [(1, 1), (1, 1)]) * y).sum()
        let wt = w.transposed(3, 1, 2, 0)  // [Cin, k, k, Cout]: the transposed conv maps 4 -> 3 channels
        let back = y.convolvedTransposed(with: wt, stride: [2, 2], padding: [1, 1], outputPadding: [1, 1])
        XCTAssertEqual(back.shape, [1, 6, 6, 3])
        let rhs = (x * back).sum()
        XCTAssertEqual(try lhs.item(), try rhs.item(), accuracy: 1e-3)
    }

    func testBadConvolutionShapesThrow() {
        let x = Tensor.zeros([1, 4, 4, 3])
        XCTAssertThrowsError(try x.convolved(with: Tensor.zeros([2, 3, 3])).eval())
        XCTAssertThrowsError(try x.convolved(with: Tensor.zeros([2, 3, 3, 5])).eval())
    }
}
