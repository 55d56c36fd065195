// Reference: opensora/schedulers/rf/__init__.py@v1.2.0 (RFLOW.sample: z and t doubled, y = [y; y_null],
// the first `in_channels` of the output split into conditional and unconditional halves); spec/rectified_flow.md §7.
import MLXTensor

/// STDiT3 as the guided sampler calls it: one forward over the doubled batch [conditional;
/// unconditional], the learned null caption as the unconditional text. The pipeline, the parity
/// runner and the benchmarks all sample through this one type.
public struct ClassifierFreeGuidance {
    public let model: STDiT3
    /// [2B, 1, L, C]: the prompts' features, then B copies of the null caption.
    let caption: Tensor
    let captionMask: Tensor?
    let fps: Tensor
    let height: Double
    let width: Double

    /// `caption` [B, 1, L, C] with its mask [B, L] (nil: every token valid); `nullCaption` [B, 1, L, C]
    /// (default: the model's learned one); `fps` one value per sample (or one for all); `height`/`width`
    /// the nominal pixel size.
    public init(model: STDiT3, caption: Tensor, captionMask: Tensor?, nullCaption: Tensor? = nil, fps: Tensor,
                height: Double, width: Double) {
        self.model = model
        let null = nullCaption ?? model.nullCaption.tiled([caption.dim(0), 1, 1, 1])
        self.caption = Tensor.concatenate([caption, null], axis: 0)
        self.captionMask = captionMask
        self.fps = fps
        self.height = height
        self.width = width
    }

    /// (conditional, unconditional) velocities [B, C, T, H, W] for latents z, timesteps t [B] and the
    /// frame mask [B, T] (true = generated frame).
    public func callAsFunction(_ z: Tensor, _ t: Tensor, _ frameMask: Tensor?) throws -> (cond: Tensor, uncond: Tensor) {
        let out = try model(Tensor.concatenate([z, z], axis: 0), timestep: Tensor.concatenate([t, t], axis: 0), caption: caption,
                            captionMask: captionMask, frameMask: frameMask.map { Tensor.concatenate([$0, $0], axis: 0) },
                            fps: fps, height: height, width: width)
        let v = out[.all, 0..<z.dim(1)].split(parts: 2, axis: 0)
        return (v[0], v[1])
    }

    /// The guided velocity: uncond + scale·(cond − uncond).
    public static func combine(cond: Tensor, uncond: Tensor, scale: Float) -> Tensor { uncond + (cond - uncond) * scale }
}
