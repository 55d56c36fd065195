// One training step (forward + backward) of an STDiT3 spatial + temporal block pair at full width
// (hidden 1152, 16 heads, MLP 4608, qk-norm, RoPE in the temporal block) on the 240p / 2 s token
// shape (T = 15 latent frames, S = 405 patches, 300 caption tokens), batch 1, fp32: the pair chained
// (temporal(spatial(x))), loss = Σ output·cotangent with a fixed random cotangent, gradients of every
// block parameter and of the input by `Module.valueAndGrad`. Prints medians, the forward-only time
// and the fraction of the sgemm peak measured in this run. Run through Benchmarks/stdit3-train-step.sh,
// which puts PyTorch's time for the same step next to it.
//
// `bench-stdit3-train-step [reps] [--composed]`: --composed switches the CPU kernels off (MLX's
// composed ops and their VJPs), for where-the-time-goes comparisons.
import Foundation
import MLXTensor
import NN
import OpenSora

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }

/// The pair and its input as one module, so `valueAndGrad` differentiates the input too.
final class BlockPair: Module {
    let spatial: STDiT3Block
    let temporal: STDiT3Block
    @Parameter var input: Tensor

    init(hidden c: Int, heads: Int, input: Tensor) {
        let rope = RotaryEmbedding(dimensions: c / heads)
        spatial = STDiT3Block(hiddenSize: c, headCount: heads, mlpHiddenSize: 4 * c, qkNorm: true, axis: .spatial, rope: nil,
                              key: RandomKey(seed: 1))
        temporal = STDiT3Block(hiddenSize: c, headCount: heads, mlpHiddenSize: 4 * c, qkNorm: true, axis: .temporal, rope: rope,
                               key: RandomKey(seed: 2))
        super.init()
        self.input = input
    }
}

let args = CommandLine.arguments
let reps = args.count > 1 ? Int(args[1]) ?? 2 : 2
let kernelsOn = !args.contains("--composed")
if args.contains("profile") {
    try CPUKernels.withEnabled(kernelsOn) { try profileOps() }
    exit(0)
}
let (c, heads, t, s, l) = (1152, 16, 15, 405, 300)
let n = t * s

try CPUKernels.withEnabled(kernelsOn) {
    // sgemm peak in this process (n = 2048).
    let keys = RandomKey(seed: 0).split(into: 6)
    let a = Tensor.normal([2048, 2048], key: keys[0]), b = Tensor.normal([2048, 2048], key: keys[1])
    try Tensor.eval([a, b])
    try a.matmul(b).eval()
    let gemm = median(try (0..<5).map { _ in try seconds { try a.matmul(b).eval() } })
    let peak = 2 * pow(2048.0, 3) / gemm / 1e9

    let pair = BlockPair(hidden: c, heads: heads, input: Tensor.normal([1, n, c], key: keys[2]))
    try Tensor.eval(pair.namedParameters().map(\.1))
    let caption = Tensor.normal([1, l, c], key: keys[3])
    let mask = Tensor.ones([1, l])
    let captionTokens = CaptionTokens(caption, mask: mask)
    let conditioning = BlockConditioning(t: Tensor.normal([1, 6 * c], key: keys[4]) * 0.1)
    let cotangent = Tensor.normal([1, n, c], key: keys[5])
    try Tensor.eval([caption, mask, conditioning.t, cotangent])

    func forward() -> Tensor {
        let h = pair.spatial(pair.input, caption: captionTokens, conditioning: conditioning, frames: t, tokensPerFrame: s)
        return pair.temporal(h, caption: captionTokens, conditioning: conditioning, frames: t, tokensPerFrame: s)
    }
    func step() throws -> Int {
        let (loss, grads) = try pair.valueAndGrad { (forward() * cotangent).sum() }
        try Tensor.eval([loss] + Array(grads.values))
        return grads.count
    }
    let gradCount = try step()  // warm-up
    try forward().eval()
    var steps = [Double](), forwards = [Double]()
    for _ in 0..<reps {
        steps.append(try seconds { _ = try step() })
        forwards.append(try seconds { try forward().eval() })
    }
    // Matmul FLOPs of the forward (multiply-add = 2): linears 28·N·C² + 4·L·C²; attention 4·N·S·C
    // (spatial), 4·N·T·C (temporal); cross-attention 4·N·L·C. A training step is counted as 3x the
    // forward (backward: one GEMM for the input gradient and one for the weight gradient per GEMM).
    let linear = 28.0 * Double(n * c * c) + 4.0 * Double(l * c * c), cross = 4.0 * Double(n * l * c)
    let forwardFlops = 2 * (linear + cross) + 4.0 * Double(n * s * c) + 4.0 * Double(n * t * c)
    let (ms, mf) = (median(steps), median(forwards))
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print(String(format: "swift%@ step_s=%.3f forward_s=%.3f backward_s=%.3f peak_gflops=%.1f step_peak_fraction=%.3f grads=%d max_rss_mb=%.0f mlx_peak_mb=%.0f",
                 kernelsOn ? "" : "-composed", ms, mf, ms - mf, peak, 3 * forwardFlops / ms / 1e9 / peak, gradCount,
                 Double(usage.ru_maxrss) / 1024, Double(Runtime.peakMemory) / 1e6))
}
