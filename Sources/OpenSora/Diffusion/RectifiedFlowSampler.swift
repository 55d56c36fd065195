// Reference: opensora/schedulers/rf/__init__.py@v1.2.0 (RFLOW.sample); spec/rectified_flow.md §6–7.
import MLXTensor

/// Classifier-free-guided Euler sampling of the rectified flow, with the masked path that keeps
/// conditioning latent frames clean (image-to-video, extension, editing).
public struct RectifiedFlowSampler: Sendable {
    public var stepCount: Int
    public var guidanceScale: Float
    public var useTimestepTransform: Bool
    /// The transform's scale: 1 in the reference's sampler; a model trained with `transform_scale` samples with it.
    public var transformScale: Float

    public init(stepCount: Int = 30, guidanceScale: Float = 7, useTimestepTransform: Bool = true, transformScale: Float = 1) {
        self.stepCount = stepCount
        self.guidanceScale = guidanceScale
        self.useTimestepTransform = useTimestepTransform
        self.transformScale = transformScale
    }

    /// What the timestep transform reads: the batch's pixel size and frame count, one value per sample.
    public struct Geometry: Sendable {
        public var height: [Float]
        public var width: [Float]
        public var numFrames: [Float]

        public init(height: [Float], width: [Float], numFrames: [Float]) {
            self.height = height
            self.width = width
            self.numFrames = numFrames
        }
    }

    /// The model evaluated on one step: latents z [B, C, T, H, W], timesteps [B], the frame mask
    /// [B, T] (true = frame being generated) → (conditional, unconditional) velocities [B, C, T, H, W].
    public typealias GuidedModel = (_ z: Tensor, _ t: Tensor, _ frameMask: Tensor?) throws -> (cond: Tensor, uncond: Tensor)

    /// What happened at one step (for progress reports and parity checks).
    public struct Step {
        public let index: Int
        public let timesteps: [Float]
        public let modelInput: Tensor
        public let frameMask: Tensor?
        public let velocityCond: Tensor
        public let velocityUncond: Tensor
    }

    /// The timesteps of every step, per sample: (1 − i/N)·1000, transformed (never reaching 0).
    public func timesteps(batch: Int, geometry: Geometry) -> [[Float]] {
        (0..<stepCount).map { i in
            let t = Float((1.0 - Double(i) / Double(stepCount)) * 1000)
            let row = Array(repeating: t, count: batch)
            return useTimestepTransform
                ? TimestepTransform.apply(row, height: geometry.height, width: geometry.width, numFrames: geometry.numFrames,
                                          scale: transformScale)
                : row
        }
    }

    /// Integrates from `z` (noise, with reference latents written in where `mask` conditions) to data.
    /// `mask` [B, T] in [0, 1] is the per-frame edit ratio (0 = frozen condition, 1 = generated);
    /// `noise(i)` supplies the fresh noise of step i for the masked path.
    public func sample(
        z initial: Tensor, geometry: Geometry, mask: Tensor? = nil, noise: (Int) -> Tensor,
        model: GuidedModel, onStep: ((Step) throws -> Void)? = nil
    ) throws -> Tensor {
        try initial.checked()
        let b = initial.dim(0)
        guard stepCount > 0 else { throw OpenSoraError.invalidInput("sampler: \(stepCount) steps; need at least 1") }
        guard [geometry.height.count, geometry.width.count, geometry.numFrames.count].allSatisfy({ $0 == b }) else {
            throw OpenSoraError.invalidInput("sampler: geometry needs one height/width/num_frames per sample (batch \(b))")
        }
        if let mask, mask.shape != [b, initial.dim(2)] {
            throw OpenSoraError.invalidInput("sampler: mask has shape \(mask.shape); expected [\(b), \(initial.dim(2))]")
        }
        let schedule = timesteps(batch: b, geometry: geometry)
        let broadcast = [b, 1, initial.dim(2), 1, 1]
        var z = initial.asType(.float32)
        var noiseAdded = mask.map { $0 .== Tensor(1) }
        for (i, ts) in schedule.enumerated() {
            let t = Tensor(ts)
            // `start` is x0 of the reference: the latents before this step's re-noising.
            var upper: Tensor? = nil
            let start = z
            if let mask, let added = noiseAdded {
                let u = (mask.asType(.float32) * RectifiedFlow.timestepCount) .>= t.reshaped(b, 1)
                let noised = RectifiedFlow.addNoise(z, noise: noise(i), t: t)
                z = Tensor.where((u .&& added.logicalNot()).reshaped(broadcast), noised, z)
                noiseAdded = u
                upper = u
            }
            let (cond, uncond) = try model(z, t, upper)
            let v = ClassifierFreeGuidance.combine(cond: cond, uncond: uncond, scale: guidanceScale)
            let step = Step(index: i, timesteps: ts, modelInput: z, frameMask: upper, velocityCond: cond, velocityUncond: uncond)
            let next = i + 1 < schedule.count ? schedule[i + 1] : Array(repeating: 0, count: b)
            let dt = Tensor(zip(ts, next).map { ($0 - $1) / RectifiedFlow.timestepCount })
            z = z + v * dt.reshaped(b, 1, 1, 1, 1)
            if let upper { z = Tensor.where(upper.reshaped(broadcast), z, start) }
            try z.eval()
            PeerWatchdog.settle()  // a sequence-parallel step's exchanges have completed
            try onStep?(step)  // after the step's work, so progress reports real time
        }
        return z
    }
}
