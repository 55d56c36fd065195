// Reference: opensora/schedulers/rf/__init__.py and rectified_flow.py@v1.2.0 (RFLOW.training_losses: logit-normal t,
// the resolution/length-aware timestep transform, masks), STDiT3's caption dropout (class_dropout_prob, train mode);
// spec/training.md §6–7, spec/rectified_flow.md.
import MLXTensor
import OpenSora

/// The rectified-flow training loss of STDiT3 on a `DiffusionBatch`, with its random draws made from keys.
public struct DiffusionObjective {
    public let denoiser: STDiT3
    public let sampling: RectifiedFlow.TimestepSampling
    public let useTimestepTransform: Bool
    public let transformScale: Float
    public let maskGenerator: MaskGenerator?
    /// Probability of replacing a caption by the null caption (classifier-free guidance training).
    public let captionDropout: Double
    /// The dtype the batch's geometry is cast to (the training dtype).
    public let dtype: DType

    public init(denoiser: STDiT3, config: TrainingConfig) {
        let scheduler = config.scheduler ?? .init()
        self.denoiser = denoiser
        sampling = scheduler.sampleMethod == .uniform ? .uniform : .logitNormal
        useTimestepTransform = scheduler.useTimestepTransform
        transformScale = Float(scheduler.transformScale)
        maskGenerator = config.maskRatios.map(MaskGenerator.init(ratios:))
        captionDropout = denoiser.config.classDropoutProbability
        dtype = config.dtype.computeDType
    }

    /// The training loss of one micro-batch (mean over samples): t drawn and transformed, fresh noise, frame masks
    /// and caption dropout, every draw from `keys` at (step, micro).
    public func trainingLoss(_ batch: DiffusionBatch, keys: RunKeys, step: Int, micro: Int) throws -> Tensor {
        let b = batch.count
        let g = try batch.geometry(in: dtype)
        var t = RectifiedFlow.sampleTimesteps(batch: b, method: sampling, key: keys.key(step: step, micro: micro, .timesteps))
        if useTimestepTransform {
            t = Tensor(TimestepTransform.apply(try t.toArray(), height: g.heights, width: g.widths, numFrames: g.numFrames,
                                                 scale: transformScale))
        }
        let noise = Tensor.normal(batch.latents.shape, key: keys.key(step: step, micro: micro, .noise))
        let masks = try maskGenerator?.masks(batchSize: b, frameCount: batch.latents.dim(2),
                                             key: keys.key(step: step, micro: micro, .frameMasks)).tensor
        let drop = captionDropout > 0
            ? Tensor.uniform([b], key: keys.key(step: step, micro: micro, .captionDropout)) .< Float(captionDropout) : nil
        return try loss(batch, geometry: g, t: t, noise: noise, frameMask: masks, captionDrop: drop).mean()
    }

    /// Per-sample losses [B] at the given timesteps (the evaluation loss passes fixed ones, no mask, no dropout).
    public func perSampleLoss(_ batch: DiffusionBatch, t: Tensor, noise: Tensor, frameMask: Tensor? = nil,
                              captionDrop: Tensor? = nil) throws -> Tensor {
        try loss(batch, geometry: batch.geometry(in: dtype), t: t, noise: noise, frameMask: frameMask, captionDrop: captionDrop)
    }

    private func loss(_ batch: DiffusionBatch, geometry g: DiffusionBatch.Geometry, t: Tensor, noise: Tensor, frameMask: Tensor?,
                      captionDrop: Tensor?) throws -> Tensor {
        try RectifiedFlow.trainingLoss(x0: batch.latents, noise: noise, t: t, frameMask: frameMask) { xt, t, frameMask in
            try denoiser(xt, timestep: t, caption: batch.caption, captionMask: batch.captionMask, frameMask: frameMask,
                         fps: Tensor(g.fps), height: Double(g.heights[0]), width: Double(g.widths[0]), captionDrop: captionDrop)
        }.loss
    }
}
