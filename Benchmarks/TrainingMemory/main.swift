// Peak memory and time of one STDiT3 training step (forward + backward, no optimizer) with and
// without gradient checkpointing: hidden 1152, 16 heads (XL/2 width), reduced depth, fp32, batch 1,
// latent [1, 4, T, 30, 40] (240p-ish: 1×2×2 patches → 300 tokens per frame), 300 caption tokens of
// which 40 are valid. One mode per process, so the process's max RSS belongs to that mode.
// Usage: bench-training-memory plain|checkpointed [steps] [latentFrames] [depth]. The first step
// warms up; the last one is timed, with MLX's peak counter reset before it.
import Foundation
import MLXTensor
import NN
import OpenSora

let args = CommandLine.arguments
let mode = args.count > 1 ? args[1] : "plain"
guard ["plain", "checkpointed"].contains(mode) else {
    FileHandle.standardError.write("mode must be plain or checkpointed, got \(mode)\n".data(using: .utf8)!)
    exit(2)
}
let steps = max(args.count > 2 ? Int(args[2]) ?? 2 : 2, 1)
let frames = args.count > 3 ? Int(args[3]) ?? 15 : 15
var config = STDiT3Config.xl2
config.depth = args.count > 4 ? Int(args[4]) ?? 4 : 4
let model = try STDiT3(config, key: RandomKey(seed: 0))
model.gradientCheckpointing = mode == "checkpointed"
model.train()
try Tensor.eval(model.namedParameters().map(\.1))

let keys = RandomKey(seed: 1).split(into: 4)
let x = Tensor.normal([1, 4, frames, 30, 40], key: keys[0])
let y = Tensor.normal([1, 1, 300, config.captionChannels], key: keys[1])
let captionMask = Tensor.concatenate([Tensor.ones([1, 40]), Tensor.zeros([1, 260])], axis: 1)
let target = Tensor.normal([1, 4, frames, 30, 40], key: keys[2])
try Tensor.eval([x, y, captionMask, target])

@MainActor func step() throws -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    let (loss, grads) = try model.valueAndGrad {
        let out = try model(x, timestep: Tensor([500] as [Float]), caption: y, captionMask: captionMask, fps: Tensor([24] as [Float]),
                            height: 240, width: 320)
        return (out[.all, 0..<4] - target).square().mean()
    }
    try Tensor.eval([loss] + grads.values)
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

var seconds = 0.0
for i in 0..<steps {
    if i == steps - 1 { Runtime.resetPeakMemory() }
    seconds = try step()
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print(String(format: "%@ step_s=%.2f mlx_peak_mb=%.0f max_rss_mb=%.0f latent=[1,4,%d,30,40] depth=%d params=%d", mode as NSString,
             seconds, Double(Runtime.peakMemory) / 1e6, Double(usage.ru_maxrss) / 1024, frames, config.depth, model.parameterCount))
