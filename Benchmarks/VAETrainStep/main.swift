// One VAE training step, stage 3 (configs/vae/train/stage3.py@v1.2.0: pixel reconstruction through the
// whole stack + KL, everything trainable), without the perceptual term: the full-size OpenSoraVAE_V1_2
// (random weights, fp32) runs `trainingForward` (spatial SDXL-style VAE encode in 4-frame micro-batches,
// temporal VAE encode/decode per 17-frame clip, spatial decode) on [1, 3, F, H, W], `VAELoss` adds the
// pixel NLL (logvar 0) and the 1e-6-weighted KL of the temporal posterior, and `Module.valueAndGrad`
// differentiates every parameter. One step per process, no warm-up (PyTorch's script does the same).
// Prints wall time, peak RSS and MLX's peak. Run through Benchmarks/vae-train-step.sh.
//
// `bench-vae-train-step [frames] [height] [width]` (default 17 256 256).
import Foundation
import MLXTensor
import NN
import OpenSora
import OpenSoraTraining

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let (frames, height, width) = (arguments.count > 0 ? arguments[0] : 17, arguments.count > 1 ? arguments[1] : 256,
                               arguments.count > 2 ? arguments[2] : 256)
let vae = try VideoVAE(.v1_2, key: RandomKey(seed: 0))
try Tensor.eval(vae.namedParameters().map(\.1))
var stage = VAETrainingStage.stage3
stage.perceptualLossWeight = 0
stage.configure(vae)
let loss = VAELoss(stage.lossConfig)

let keys = RandomKey(seed: 1).split(into: 3)
let (h, w) = (height / 8, width / 8)
let x = Tensor.uniform([1, 3, frames, height, width], low: -1, high: 1, key: keys[0])
let spatialNoise = Tensor.normal([1, 4, frames, h, w], key: keys[1])
let temporalNoise = Tensor.normal([1, 4, vae.config.latentFrames(frames), h, w], key: keys[2])
try Tensor.eval([x, spatialNoise, temporalNoise])
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let baseline = Double(usage.ru_maxrss) / 1024

let start = DispatchTime.now().uptimeNanoseconds
let (value, grads) = try vae.valueAndGrad {
    let out = try vae.trainingForward(x, spatialNoise: spatialNoise, temporalNoise: temporalNoise)
    let terms = try loss(x, out.reconstruction, posterior: out.posterior)
    return terms.weightedNLL + terms.weightedKL
}
try Tensor.eval([value] + Array(grads.values))
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
getrusage(RUSAGE_SELF.rawValue, &usage)
print(String(format: "swift step_s=%.1f loss=%.4g grads=%d peak_rss_mb=%.0f rss_before_step_mb=%.0f mlx_peak_mb=%.0f shape=%dx%dx%d",
             seconds, try value.item() as Float, grads.count, Double(usage.ru_maxrss) / 1024, baseline,
             Double(Runtime.peakMemory) / 1e6, frames, height, width))
