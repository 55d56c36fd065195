// `bench-stdit3-train-step profile [--composed]`: where the backward time goes, op by op at the
// block pair's shapes — each op's forward alone and its forward + VJP (Σ op(x)·cotangent,
// gradients of every input), medians of 3.
import Foundation
import MLXTensor

func profileOps() throws {
    let (c, h, t, s, l) = (1152, 16, 15, 405, 300)
    let n = t * s, d = c / h
    var seed: UInt64 = 100
    func r(_ shape: [Int], _ scale: Float = 1) -> Tensor {
        seed += 1
        return Tensor.normal(shape, key: RandomKey(seed: seed)) * scale
    }
    func time(_ name: String, _ inputs: [Tensor], _ f: @escaping ([Tensor]) -> Tensor) throws {
        try Tensor.eval(inputs)
        let y = f(inputs)
        let cot = r(y.shape)
        try Tensor.eval([cot])
        let g: ([Tensor]) -> [Tensor] = { [(f($0) * cot).sum()] }
        func fwd() throws -> Double { try seconds { try f(inputs).eval() } }
        func both() throws -> Double {
            try seconds {
                let (v, grads) = try valueAndGrad(of: g, at: inputs)
                try Tensor.eval(v + grads)
            }
        }
        _ = try fwd(); _ = try both()
        var fs = [Double](), bs = [Double]()
        for _ in 0..<3 { fs.append(try fwd()); bs.append(try both()) }
        let (mf, mb) = (median(fs), median(bs))
        print(String(format: "op %-34@ forward_s=%.4f fwd+vjp_s=%.4f vjp_s=%.4f", name as NSString, mf, mb, mb - mf))
    }
    try time("gelu_tanh[6075x4608]", [r([n, 4 * c])]) { $0[0].geluTanh() }
    try time("layernorm_modulate[6075x1152]", [r([1, n, c]), r([1, 1, c], 0.1), r([1, 1, c], 0.1)]) {
        $0[0].layerNormModulated(shift: $0[1], scale: $0[2], eps: 1e-6)
    }
    try time("rms_norm[15x16x405x72]", [r([t, h, s, d]), r([d], 0.1) + 1]) { $0[0].rmsNorm(weight: $0[1], eps: 1e-6) }
    try time("gated_residual[6075x1152]", [r([1, n, c]), r([1, 1, c]), r([1, n, c])]) { $0[0].addingGated($0[2], gate: $0[1]) }
    try time("attention_spatial[15x16x405x72]", [r([t, h, s, d]), r([t, h, s, d]), r([t, h, s, d])]) {
        scaledDotProductAttention(queries: $0[0], keys: $0[1], values: $0[2], scale: 1 / Float(d).squareRoot())
    }
    try time("attention_temporal[405x16x15x72]", [r([s, h, t, d]), r([s, h, t, d]), r([s, h, t, d])]) {
        scaledDotProductAttention(queries: $0[0], keys: $0[1], values: $0[2], scale: 1 / Float(d).squareRoot())
    }
    try time("attention_cross[16x6075x300x72]", [r([1, h, n, d]), r([1, h, l, d]), r([1, h, l, d])]) {
        scaledDotProductAttention(queries: $0[0], keys: $0[1], values: $0[2], scale: 1 / Float(d).squareRoot())
    }
    let freqs = Tensor((0..<(d / 2)).map { 1 / pow(Float(10000), Float(2 * $0) / Float(d)) })
    try time("rope[405x16x15x72]", [r([s, h, t, d])]) { $0[0].rotatedPairs(freqs: freqs) }
    try time("transpose_qkv[6075x3x16x72]", [r([1, n, 3, h, d])]) { $0[0].transposedContiguous(2, 0, 3, 1, 4) }
    // The VAE's norm + SiLU pair at a VAE shape (128 channels, 17 frames of 64×64).
    try time("group_norm_silu[17x64x64x128]", [r([1, 17, 64, 64, 128]), r([128], 0.1) + 1, r([128], 0.1)]) {
        $0[0].groupNorm(groups: 32, weight: $0[1], bias: $0[2], eps: 1e-6, silu: true)
    }
    try time("linear_fc1[6075x1152->4608]", [r([n, c]), r([4 * c, c], 0.03), r([4 * c], 0.02)]) {
        Tensor.addmm($0[2], $0[0].reshaped(n, -1), $0[1].swappedAxes(0, 1))
    }
    try time("linear_fc2[6075x4608->1152]", [r([n, 4 * c]), r([c, 4 * c], 0.015), r([c], 0.02)]) {
        Tensor.addmm($0[2], $0[0].reshaped(n, -1), $0[1].swappedAxes(0, 1))
    }
}
