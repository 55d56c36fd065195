// One STDiT3 spatial + temporal block pair at full width (hidden 1152, 16 heads, MLP 4608) on the
// 240p / 2 s token shape (T = 15 latent frames, S = 405 patches per frame, 300 caption tokens),
// forward only, batch 1, fp32. Prints medians and the fraction of the sgemm peak measured in this run.
// Run through Benchmarks/stdit3-block.sh, which puts PyTorch's time for the same block next to it.
import Foundation
import MLXTensor
import OpenSora

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }

let args = CommandLine.arguments
let reps = args.count > 1 ? Int(args[1]) ?? 3 : 3
let (c, heads, t, s, l) = (1152, 16, 15, 405, 300)
let n = t * s

// sgemm peak in this process (n = 2048).
let keys = RandomKey(seed: 0).split(into: 6)
let a = Tensor.normal([2048, 2048], key: keys[0]), b = Tensor.normal([2048, 2048], key: keys[1])
try Tensor.eval([a, b])
try a.matmul(b).eval()
let gemm = median(try (0..<5).map { _ in try seconds { try a.matmul(b).eval() } })
let peak = 2 * pow(2048.0, 3) / gemm / 1e9

let rope = RotaryEmbedding(dimensions: c / heads)
let spatial = STDiT3Block(hiddenSize: c, headCount: heads, mlpHiddenSize: 4 * c, qkNorm: true, axis: .spatial, rope: nil,
                          key: RandomKey(seed: 1))
let temporal = STDiT3Block(hiddenSize: c, headCount: heads, mlpHiddenSize: 4 * c, qkNorm: true, axis: .temporal, rope: rope,
                           key: RandomKey(seed: 2))
try Tensor.eval((spatial.namedParameters() + temporal.namedParameters()).map(\.1))
let x = Tensor.normal([1, n, c], key: keys[2])
let caption = Tensor.normal([1, l, c], key: keys[3])
let mask = Tensor.ones([1, l])
let captionTokens = CaptionTokens(caption, mask: mask)
let conditioning = BlockConditioning(t: Tensor.normal([1, 6 * c], key: keys[4]) * 0.1)
try Tensor.eval([x, caption, mask, conditioning.t])

@MainActor func run(_ block: STDiT3Block) throws -> Double {
    try seconds { try block(x, caption: captionTokens, conditioning: conditioning, frames: t, tokensPerFrame: s).eval() }
}
_ = try run(spatial)
_ = try run(temporal)
var sp = [Double](), tp = [Double]()
for _ in 0..<reps {
    sp.append(try run(spatial))
    tp.append(try run(temporal))
}
// Matmul FLOPs (multiply-add = 2): linears 28·N·C² + 4·L·C²; attention 4·N·S·C (spatial),
// 4·N·T·C (temporal); cross-attention 4·N·L·C.
let linear = 28.0 * Double(n * c * c) + 4.0 * Double(l * c * c), cross = 4.0 * Double(n * l * c)
let spatialFlops = linear + cross + 4.0 * Double(n * s * c), temporalFlops = linear + cross + 4.0 * Double(n * t * c)
let (ms, mt) = (median(sp), median(tp))
print(String(format: "swift spatial_s=%.3f temporal_s=%.3f pair_s=%.3f peak_gflops=%.1f pair_peak_fraction=%.3f",
             ms, mt, ms + mt, peak, (spatialFlops + temporalFlops) / (ms + mt) / 1e9 / peak))
