// One STDiT3-XL/2 forward at a 240p shape (4:3, 240×320: 15×20 = 300 tokens a frame, even so two ranks can
// split them; 9:16's 405 cannot), T = 15 latent frames (2 s), batch 1, fp32, random weights. Run alone for SP=1,
// under `opensora launch -n 2` for SP=2. Also times the exchanges alone at the forward's shapes (the time spent
// communicating) and counts the bytes a rank sends. Env: DEPTH (28), FRAMES (15), REPS (1). Rank 0 prints one line.
import Foundation
import MLXTensor
import OpenSora

let env = ProcessInfo.processInfo.environment
let depth = Int(env["DEPTH"] ?? "") ?? 28, frames = Int(env["FRAMES"] ?? "") ?? 15, reps = Int(env["REPS"] ?? "") ?? 1
let world = try ParallelWorld.current()
let group = world.group, p = group.size
var config = STDiT3Config.xl2
config.depth = depth
let model = try STDiT3(config, key: RandomKey(seed: 0))
try Tensor.eval(model.namedParameters().map(\.1))
model.sequenceParallel = group
let keys = RandomKey(seed: 1).split(into: 2)
let (h, w) = (30, 40)
let x = Tensor.normal([1, 4, frames, h, w], key: keys[0]), y = Tensor.normal([1, 1, 300, config.captionChannels], key: keys[1])
let mask = Tensor.concatenate([Tensor.ones([1, 40]), Tensor.zeros([1, 260])], axis: 1)
try Tensor.eval([x, y, mask])

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

var forward = [Double]()
group.traffic.reset()
for _ in 0..<reps {
    forward.append(try seconds {
        try model(x, timestep: Tensor([500]), caption: y, captionMask: mask, fps: Tensor([24]), height: 240, width: 320).eval()
    })
}
let traffic = group.traffic.snapshot

// The exchanges of one forward, alone: per spatial block qkv [T, S/p, 3, H, D] and the output [T, S, H/p, D].
let s = (h / 2) * (w / 2), d = config.headDimension, heads = config.headCount
var exchange = 0.0
if p > 1 {
    let qkv = Tensor.normal([frames, s / p, 3, heads, d], key: keys[0]), out = Tensor.normal([frames, s, heads / p, d], key: keys[1])
    try Tensor.eval([qkv, out])
    _ = try group.exchange(qkv, scatterAxis: 3, gatherAxis: 1).eval()  // connections warm
    let rounds = 3
    exchange = try seconds {
        for _ in 0..<rounds {
            try group.exchange(qkv, scatterAxis: 3, gatherAxis: 1).eval()
            try group.exchange(out, scatterAxis: 1, gatherAxis: 2).eval()
        }
    } / Double(rounds) * Double(depth)
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
if world.isWriter {
    print(String(format: "sp=%d depth=%d tokens=%d forward_s=%.2f exchanges_alone_s=%.2f bytes_sent_per_forward=%d calls=%d peak_rss_gb=%.2f",
                 p, depth, frames * s, forward.sorted()[forward.count / 2], exchange, traffic.totalBytesSent / reps,
                 traffic.totalCalls / reps, Double(usage.ru_maxrss) / 1024 / 1024))
}
