// Time per rectified-flow sampling step (CFG batch of 2: conditional + null caption) at 240p / 2 s
// (51 frames → latent 15×30×53), for the tiny preset or the full-size STDiT3-XL/2 with random weights.
// Usage: bench-sampling-step tiny|xl2 [steps]. Prints seconds per step and peak memory.
import Foundation
import MLXTensor
import OpenSora

let preset = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "tiny"
let steps = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 1 : 1
var config = preset == "xl2" ? STDiT3Config.xl2 : STDiT3Config.tiny
config.modelMaxLength = 300
let model = try STDiT3(config, key: RandomKey(seed: 0))
try Tensor.eval(model.namedParameters().map(\.1))
let size = VideoSize(height: 240, width: 426)
let latent = VideoVAEConfig.v1_2.latentSize(frames: 51, height: size.height, width: size.width)
let info = ConditioningInfo(batch: 1, size: size, numFrames: 51, fps: 24)
let keys = RandomKey(seed: 1).split(into: 3)
let z = Tensor.normal([1, 4, latent.frames, latent.height, latent.width], key: keys[0])
let y = Tensor.normal([1, 1, 300, config.captionChannels], key: keys[1])
let textMask = Tensor.concatenate([Tensor.ones([1, 40]), Tensor.zeros([1, 260])], axis: 1)
try Tensor.eval([z, y, textMask])
let guided = ClassifierFreeGuidance(model: model, caption: y, captionMask: textMask, fps: Tensor(info.fps), height: 240, width: 426)
let sampler = RectifiedFlowSampler(stepCount: steps, guidanceScale: 7)
let start = DispatchTime.now().uptimeNanoseconds
_ = try sampler.sample(
    z: z, geometry: info.geometry, noise: { _ in z },
    model: guided.callAsFunction)
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let perStep = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(steps)
print(String(format: "%@ step_s=%.2f (steps %d) peak_rss_mb=%.0f mlx_peak_mb=%.0f params=%d", preset as NSString, perStep, steps,
             Double(usage.ru_maxrss) / 1024, Double(Runtime.peakMemory) / 1e6, model.parameterCount))
