// Reference: opensora/models/vae/vae.py@v1.2.0 (VideoAutoencoderKL); spec/vae.md §3.4.
import MLXTensor
import NN

/// The per-frame 2-D VAE on videos: frames are folded into the batch in (B, T) order and processed
/// in micro-batches (each evaluated before the next, so memory does not grow with the frame count).
/// Latents are scaled by 0.18215 (Open-Sora's constant, not the SDXL config's).
public final class VideoAutoencoderKL: Module {
    /// The checkpoint nests the diffusers model under `module.` (`spatial_vae.module.encoder…`).
    public let module: AutoencoderKL
    public let config: SpatialVAEConfig
    public let microBatchSize: Int?
    public let scalingFactor: Float

    public init(_ config: SpatialVAEConfig, microBatchSize: Int? = 4, scalingFactor: Float = 0.18215, key: RandomKey) throws {
        try config.validate()
        self.config = config
        self.microBatchSize = microBatchSize
        self.scalingFactor = scalingFactor
        module = AutoencoderKL(config, key: key)
        super.init()
    }

    /// Posterior over unscaled latents, [B, latent, T, H/8, W/8] (reference layout).
    public func posterior(_ x: Tensor) throws -> DiagonalGaussian {
        try x.checked()
        let (b, t) = (x.dim(0), x.dim(2))
        let frames = x.transposed(0, 2, 3, 4, 1).reshaped([b * t] + [x.dim(3), x.dim(4), x.dim(1)])
        let moments = try inMicroBatches(frames) { self.module.quantConv(self.module.encoder($0)) }
        let m = moments.reshaped(b, t, moments.dim(1), moments.dim(2), moments.dim(3)).channelsFirst
        return DiagonalGaussian(moments: m, axis: 1)
    }

    /// Pixels [B, 3, T, H, W] in [−1, 1] → latents (mean + std·noise)·0.18215, noise shaped like the latent.
    public func encode(_ x: Tensor, noise: Tensor) throws -> Tensor {
        try posterior(x).sample(noise: noise) * scalingFactor
    }

    /// Latents [B, latent, T, h, w] → pixels [B, 3, T, 8h, 8w] (z/0.18215 through the decoder).
    public func decode(_ z: Tensor) throws -> Tensor {
        try z.checked()
        let (b, t) = (z.dim(0), z.dim(2))
        let frames = (z / scalingFactor).transposed(0, 2, 3, 4, 1).reshaped([b * t] + [z.dim(3), z.dim(4), z.dim(1)])
        let pixels = try inMicroBatches(frames) { self.module.decode($0) }
        return pixels.reshaped(b, t, pixels.dim(1), pixels.dim(2), pixels.dim(3)).channelsFirst
    }

    /// Applies `f` to chunks of `microBatchSize` frames along axis 0, evaluating each chunk.
    func inMicroBatches(_ frames: Tensor, _ f: (Tensor) -> Tensor) throws -> Tensor {
        let n = frames.dim(0), size = microBatchSize ?? n
        guard size < n else { return try f(frames).eval() }
        var parts = [Tensor]()
        for start in stride(from: 0, to: n, by: size) {
            parts.append(try f(frames[start..<min(start + size, n)]).eval())
        }
        return Tensor.concatenate(parts, axis: 0)
    }
}
