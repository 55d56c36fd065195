// Full-size OpenSoraVAE_V1_2 (random weights) decoding 51 frames at 240p (latent [1, 4, 15, 30, 53] →
// pixels [1, 3, 51, 240, 424]), fp32, with the released chunking (5-latent temporal clips, 4-frame
// spatial micro-batches). Prints wall time and peak RSS. Run through Benchmarks/vae-decode.sh.
import Foundation
import MLXTensor
import OpenSora

// Optional: latent frames (default 15 = 51 frames) and an MLX buffer-cache cap in MB (default: MLX's).
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let latentFrames = arguments.first ?? 15
if arguments.count > 1 { Runtime.setCacheLimit(arguments[1] << 20) }
let vae = try VideoVAE(.v1_2, key: RandomKey(seed: 0))
try Tensor.eval(vae.namedParameters().map(\.1))
let z = Tensor.normal([1, 4, latentFrames, 30, 53], key: RandomKey(seed: 0))
try z.eval()
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let baseline = Double(usage.ru_maxrss) / 1024
let start = DispatchTime.now().uptimeNanoseconds
let x = try vae.decode(z, numFrames: latentFrames / 5 * 17)
try x.eval()
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
getrusage(RUSAGE_SELF.rawValue, &usage)
print(String(format: "swift decode_s=%.1f peak_rss_mb=%.0f rss_before_decode_mb=%.0f mlx_peak_mb=%.0f shape=%@", 
             seconds, Double(usage.ru_maxrss) / 1024, baseline, Double(Runtime.peakMemory) / 1e6, "\(x.shape)" as NSString))
