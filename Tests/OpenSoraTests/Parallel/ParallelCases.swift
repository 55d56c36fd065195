import Foundation
import MLXTensor
import NN
@testable import OpenSora

/// Computations run once in the test process (a group of one) and once by each rank of a real
/// `opensora launch -n 2` (the world), so the two can be compared value for value.
enum ParallelCase: String, CaseIterable {
    case tinyVideo, tinyImage, tinyVideoMasked, midVideoMasked, gradients, gradientsCheckpointed, exchange, traffic

    /// The named results; under several ranks every rank computes them, rank 0's are compared.
    func run(group: ParallelGroup) throws -> [String: Tensor] {
        switch self {
        case .tinyVideo: return try forward(.tiny, frames: 3, size: (8, 8), masked: false, group: group)
        case .tinyImage: return try forward(.tiny, frames: 1, size: (8, 12), masked: false, group: group)
        case .tinyVideoMasked: return try forward(.tiny, frames: 3, size: (8, 8), masked: true, group: group)
        case .midVideoMasked: return try forward(Self.mid, frames: 5, size: (12, 16), masked: true, group: group)
        case .gradients: return try gradients(checkpointing: false, group: group)
        case .gradientsCheckpointed: return try gradients(checkpointing: true, group: group)
        case .exchange: return try exchange(group: group)
        case .traffic:
            group.traffic.reset()
            let out = try forward(.tiny, frames: 3, size: (8, 8), masked: true, group: group)["output"]!
            try out.eval()
            let t = group.traffic.snapshot
            return ["calls": Tensor(int32: [Int32(t.totalCalls)]), "bytes": Tensor(int32: [Int32(t.totalBytesSent)])]
        }
    }

    /// Wider and deeper than the tiny preset, 8 heads over 48 tokens per frame.
    static let mid: STDiT3Config = {
        var c = STDiT3Config()
        c.hiddenSize = 256
        c.depth = 3
        c.headCount = 8
        c.captionChannels = 64
        c.modelMaxLength = 12
        return c
    }()

    struct Inputs {
        let x, timestep, caption: Tensor
        let captionMask, frameMask: Tensor?
        let height, width: Double
    }

    /// A CFG-shaped batch of 2: different timesteps, caption lengths, and (masked) conditioning frames
    /// as an image-to-video mask strategy makes them.
    static func inputs(_ config: STDiT3Config, frames: Int, size: (Int, Int), masked: Bool) -> Inputs {
        let k = RandomKey(seed: 41).split(into: 2)
        let l = config.modelMaxLength
        let lengths = [l / 2, l - 1]
        let mask = lengths.flatMap { n in (0..<l).map { $0 < n ? Float(1) : 0 } }
        let frameMask = frames > 1 ? Tensor((0..<(2 * frames)).map { $0 % frames != 0 }, shape: [2, frames]) : nil
        return Inputs(x: Tensor.normal([2, config.inChannels, frames, size.0, size.1], key: k[0]), timestep: Tensor([250, 800] as [Float]),
                      caption: Tensor.normal([2, 1, l, config.captionChannels], key: k[1]),
                      captionMask: masked ? Tensor(mask, shape: [2, l]) : nil, frameMask: masked ? frameMask : nil,
                      height: Double(size.0 * 8), width: Double(size.1 * 8))
    }

    static func model(_ config: STDiT3Config, group: ParallelGroup) throws -> STDiT3 {
        let model = try STDiT3(config, key: RandomKey(seed: 7))
        // The constructors' draws, non-zero everywhere (initializeWeights would zero the temporal projections).
        model.sequenceParallel = group
        return model
    }

    static func output(_ model: STDiT3, _ i: Inputs) throws -> Tensor {
        try model(i.x, timestep: i.timestep, caption: i.caption, captionMask: i.captionMask, frameMask: i.frameMask,
                  fps: Tensor([24]), height: i.height, width: i.width)
    }

    func forward(_ config: STDiT3Config, frames: Int, size: (Int, Int), masked: Bool, group: ParallelGroup) throws -> [String: Tensor] {
        let model = try Self.model(config, group: group)
        return ["output": try Self.output(model, Self.inputs(config, frames: frames, size: size, masked: masked))]
    }

    /// Every trainable parameter's gradient of an MSE loss, averaged over the world as the trainer
    /// does (spec/parallelism.md §3.4: each rank holds p× its share; the mean is the full gradient).
    func gradients(checkpointing: Bool, group: ParallelGroup) throws -> [String: Tensor] {
        let model = try Self.model(.tiny, group: group)
        model.gradientCheckpointing = checkpointing
        let i = Self.inputs(.tiny, frames: 3, size: (8, 8), masked: true)
        let target = Tensor.normal([2, 8, 3, 8, 8], key: RandomKey(seed: 43))
        let (loss, grads) = try model.valueAndGrad { (try Self.output(model, i) - target).square().mean() }
        var results = ["loss": loss]
        for (name, g) in group.mean(of: grads, bucketElements: 20_000) { results["grad." + name] = g }
        return results
    }

    /// The differentiable all-to-all on [4, 6] per rank (rank-dependent values): its output, its
    /// vjp for a rank-dependent cotangent, and central finite differences of the world's loss.
    func exchange(group: ParallelGroup) throws -> [String: Tensor] {
        let p = group.size
        let x = Tensor.normal([4, 6], key: RandomKey(seed: 50 + UInt64(group.rank)))
        let w = Tensor.normal([4 / p, 6 * p], key: RandomKey(seed: 60 + UInt64(group.rank)))
        func worldLoss(_ x: Tensor) throws -> Float {
            try group.allSum((group.exchange(x, scatterAxis: 0, gatherAxis: 1) * w).sum()).item()
        }
        let (_, grads) = try valueAndGrad(of: { [(group.exchange($0[0], scatterAxis: 0, gatherAxis: 1) * w).sum()] }, at: [x])
        let eps: Float = 0.01
        var numeric = [Float]()
        let base = try x.toArray()
        for owner in 0..<p {
            for e in 0..<base.count {
                func shifted(_ d: Float) -> Tensor {
                    var v = base
                    if owner == group.rank { v[e] += d }
                    return Tensor(v, shape: [4, 6])
                }
                let derivative = (try worldLoss(shifted(eps)) - worldLoss(shifted(-eps))) / (2 * eps)
                if owner == group.rank { numeric.append(derivative) }
            }
        }
        return ["inputs": group.gatheredParts(x), "outputs": group.gatheredParts(group.exchange(x, scatterAxis: 0, gatherAxis: 1)),
                "analytic": group.gatheredParts(grads[0]), "numeric": group.gatheredParts(Tensor(numeric, shape: [4, 6]))]
    }
}
