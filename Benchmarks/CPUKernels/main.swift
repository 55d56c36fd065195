// The CPU kernels and attention shapes of the STDiT3 240p/2 s block, with the kernels on and off
// (MLX's composed ops). Prints "op kernel_s composed_s" medians; Benchmarks/cpu-kernels.sh adds PyTorch.
import Foundation
import MLXTensor

func median(_ body: () throws -> [Tensor], reps: Int = 5) throws -> Double {
    try Tensor.eval(body())
    var t = [Double]()
    for _ in 0..<reps {
        let start = DispatchTime.now().uptimeNanoseconds
        try Tensor.eval(body())
        t.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return t.sorted()[t.count / 2]
}

let k = RandomKey(seed: 0).split(into: 8)
let (n, c, h, d) = (6075, 1152, 16, 72)
let wide = Tensor.normal([n, 4 * c], key: k[0])
let x = Tensor.normal([1, n, c], key: k[1])
let shift = Tensor.normal([1, 1, c], key: k[2]) * 0.1, scale = Tensor.normal([1, 1, c], key: k[3]) * 0.1
let scores = Tensor.normal([15, h, 405, 405], key: k[4])
let qs = Tensor.normal([15, h, 405, d], key: k[5]), qt = Tensor.normal([405, h, 15, d], key: k[6])
let qc = Tensor.normal([1, h, n, d], key: k[7]), kc = Tensor.normal([1, h, 40, d], key: k[0])
let vol = Tensor.normal([1, 17, 64, 64, 128], key: k[1]), w3 = Tensor.normal([128, 3, 3, 3, 128], key: k[2]) * 0.03
let img = Tensor.normal([1, 64, 64, 512], key: k[3]), w2 = Tensor.normal([512, 3, 3, 512], key: k[4]) * 0.015
let dy3 = Tensor.normal([1, 17, 64, 64, 128], key: k[5])
let frame = Tensor.normal([1, 240, 424, 128], key: k[0]), wd = Tensor.normal([128, 3, 3, 128], key: k[1]) * 0.03
let freqs = Tensor((0..<(d / 2)).map { i in Float(1 / pow(10000.0, Double(2 * i) / Double(d))) })
let tokens = Tensor.normal([1, 15, 405, c], key: k[6]), packed = Tensor.normal([1, n, 3, h, d], key: k[7])
try Tensor.eval([wide, x, shift, scale, scores, qs, qt, qc, kc, vol, w3, img, w2, dy3, freqs, tokens, packed, frame, wd])
/// dL/dx and dL/dw of the causal conv3d for a given dL/dy (the forward is not evaluated: it is linear).
func conv3dBackward() throws -> [Tensor] {
    try vjp(of: { [$0[0].convolved(with: $0[1], bias: nil, stride: [1, 1, 1], padding: [(2, 0), (1, 1), (1, 1)], dilation: [1, 1, 1], groups: 1)] },
            at: [vol, w3], cotangents: [dy3]).vjps
}
let cases: [(String, () throws -> [Tensor])] = [
    ("gelu_tanh[6075x4608]", { [wide.geluTanh()] }),
    ("silu[6075x4608]", { [wide.silu()] }),
    ("layernorm_modulate[6075x1152]", { [x.layerNormModulated(shift: shift, scale: scale, eps: 1e-6)] }),
    ("softmax[15x16x405x405]", { [scores.softmax(axes: [-1])] }),
    ("rope[405x16x15x72]", { [qt.rotatedPairs(freqs: freqs)] }),
    ("transpose_temporal[15x405x1152]", { [tokens.transposedContiguous(0, 2, 1, 3).reshaped(405, 15, c).contiguous()] }),
    ("transpose_qkv_heads[6075x3x16x72]", { [packed.transposedContiguous(2, 0, 3, 1, 4).contiguous()] }),
    ("attention_spatial[15x16x405x72]", { [scaledDotProductAttention(queries: qs, keys: qs, values: qs, scale: 0.1178)] }),
    ("attention_temporal[405x16x15x72]", { [scaledDotProductAttention(queries: qt, keys: qt, values: qt, scale: 0.1178)] }),
    ("attention_cross[6075x40]", { [scaledDotProductAttention(queries: qc, keys: kc, values: kc, scale: 0.1178)] }),
    ("conv3d_causal[128ch,17x64x64]", { [vol.convolved(with: w3, bias: nil, stride: [1, 1, 1], padding: [(2, 0), (1, 1), (1, 1)], dilation: [1, 1, 1], groups: 1)] }),
    ("conv3d_causal_backward[128ch,17x64x64]", conv3dBackward),
    ("conv2d_stride2[128ch,240x424]", { [frame.convolved(with: wd, bias: nil, stride: [2, 2], padding: [(0, 1), (0, 1)], dilation: [1, 1], groups: 1)] }),
    ("conv2d[512ch,64x64]", { [img.convolved(with: w2, bias: nil, stride: [1, 1], padding: [(1, 1), (1, 1)], dilation: [1, 1], groups: 1)] }),
]
let only = CommandLine.arguments.dropFirst().first  // optional name filter
for (name, f) in cases where only.map({ name.contains($0) }) ?? true {
    let on = try CPUKernels.withEnabled(true) { try median(f) }
    let off = try CPUKernels.withEnabled(false) { try median(f) }
    print(String(format: "%@ kernel_s=%.4f composed_s=%.4f", name as NSString, on, off))
}
