// Reference: opensora/models/vae/vae.py@v1.2.0 (VideoAutoencoderPipeline, OpenSoraVAE_V1_2); spec/vae.md §5.
import MLXTensor
import NN

/// Open-Sora 1.2's video compression network: the per-frame SDXL VAE (8×8 in space), then the causal
/// temporal VAE (4× in time) on independent 17-frame clips, then per-channel normalisation.
public final class VideoVAE: Module {
    /// Per-channel latent normalisation buffers, [1, 4, 1, 1, 1]: z = (z_vae − shift)/scale.
    @Parameter(buffer: true) public var scale: Tensor
    @Parameter(buffer: true) public var shift: Tensor
    @Child(key: "spatial_vae") public var spatial: VideoAutoencoderKL
    @Child(key: "temporal_vae") public var temporal: TemporalVAE
    public let config: VideoVAEConfig

    /// Parameters as PyTorch constructs them: neither diffusers' AutoencoderKL nor VAE_Temporal
    /// defines an init of its own (`initializeWeights(key:)` redraws the same distributions).
    public init(_ config: VideoVAEConfig, key: RandomKey) throws {
        let channels = config.temporal.embedDim
        guard [1, channels].contains(config.shift.count), [1, channels].contains(config.scale.count) else {
            throw OpenSoraError.invalidConfiguration(
                "video VAE: shift \(config.shift) and scale \(config.scale) need 1 or \(channels) values each")
        }
        self.config = config
        super.init()
        // One value is a 0-d buffer, as the reference registers a scalar (its config default 1.0/0.0).
        func buffer(_ v: [Float]) -> Tensor { v.count == 1 ? Tensor(v[0]) : Tensor(v, shape: [1, v.count, 1, 1, 1]) }
        scale = buffer(config.scale)
        shift = buffer(config.shift)
        let keys = key.split(into: 2)
        spatial = try VideoAutoencoderKL(config.spatial, microBatchSize: config.microBatchSize,
                                         scalingFactor: config.spatialScalingFactor, key: keys[0])
        temporal = try TemporalVAE(config.temporal, key: keys[1])
    }

    public var latentChannels: Int { config.temporal.embedDim }

    /// Loads standalone SDXL-VAE weights in diffusers naming (`encoder.…`, `decoder.…`, a file or a
    /// folder with `diffusion_pytorch_model.safetensors`) into the spatial part only. The released
    /// Open-Sora checkpoint carries fine-tuned spatial weights: prefer `loadWeights(path:)` for it.
    @discardableResult
    public func loadSpatialWeights(diffusersPath path: String, strict: Bool = true) throws -> LoadReport {
        try spatial.module.loadWeights(from: ModelFolder.tensors(at: path), strict: strict)  // safetensors or .bin, as every loader
    }

    /// Pixels [B, 3, T, H, W] in [−1, 1] → normalised latents [B, 4, T', H/8, W/8].
    /// Both posteriors are sampled, as the reference does at inference too: `noise` supplies the
    /// spatial noise [B, 4, T, h, w] and the temporal noise [B, 4, T', h, w] (one posterior per clip,
    /// concatenated in time); zero noise gives the posterior means.
    public func encode(_ x: Tensor, spatialNoise: Tensor, temporalNoise: Tensor) throws -> Tensor {
        try validatePixels(x)
        let xz = try spatial.encode(x, noise: spatialNoise)
        var latents = [Tensor](), offset = 0
        for clip in clips(xz.dim(2)) {
            let posterior = temporal.encode(xz[.all, .all, clip])
            let n = posterior.mean.dim(2)
            guard offset + n <= temporalNoise.dim(2) else {
                throw OpenSoraError.invalidInput("video VAE: temporal noise has \(temporalNoise.dim(2)) frames, need \(latentFrames(x.dim(2)))")
            }
            latents.append(try posterior.sample(noise: temporalNoise[.all, .all, offset..<(offset + n)]).eval())
            offset += n
        }
        return (Tensor.concatenate(latents, axis: 2) - shift.asType(xz.dtype)) / scale.asType(xz.dtype)
    }

    /// Encoding with noise drawn from `key` (the reference's stochastic path, but reproducible).
    public func encode(_ x: Tensor, key: RandomKey) throws -> Tensor {
        try validatePixels(x)
        let keys = key.split(into: 2)
        let (t, h, w) = (x.dim(2), x.dim(3) / config.spatial.downsampleFactor, x.dim(4) / config.spatial.downsampleFactor)
        return try encode(x, spatialNoise: Tensor.normal([x.dim(0), latentChannels, t, h, w], key: keys[0]),
                          temporalNoise: Tensor.normal([x.dim(0), latentChannels, latentFrames(t), h, w], key: keys[1]))
    }

    /// Normalised latents [B, 4, T', h, w] → pixels [B, 3, numFrames, 8h, 8w]: temporal decode per
    /// 5-latent chunk with num_frames = min(17, remaining), then the spatial decoder in micro-batches.
    public func decode(_ z: Tensor, numFrames: Int) throws -> Tensor {
        try Runtime.returningLargeBuffers { try decodeClips(z, numFrames: numFrames) }
    }

    private func decodeClips(_ z: Tensor, numFrames: Int) throws -> Tensor {
        try z.checked()
        guard z.ndim == 5, z.dim(1) == latentChannels, z.shape.allSatisfy({ $0 > 0 }) else {
            throw OpenSoraError.invalidInput("video VAE: latents have shape \(z.shape); expected [B, \(latentChannels), T, h, w]")
        }
        guard numFrames > 0 else { throw OpenSoraError.invalidInput("video VAE: num_frames \(numFrames) must be positive") }
        let denormalised = z * scale.asType(z.dtype) + shift.asType(z.dtype)
        var pieces = [Tensor]()
        if let clip = config.microFrameSize {
            let latentClip = config.temporal.latentFrames(clip)
            var remaining = numFrames
            for start in stride(from: 0, to: z.dim(2), by: latentClip) {
                let chunk = denormalised[.all, .all, start..<min(start + latentClip, z.dim(2))]
                pieces.append(try spatial.decode(temporal.decode(chunk, numFrames: min(clip, remaining))))
                remaining -= clip
                // Freed buffers of this clip's layers go back to the system: MLX's cache otherwise holds
                // them beside the next clip's new ones (peak RSS grew ~250 MB per clip at 240p).
                Runtime.clearCache()
            }
        } else {
            pieces.append(try spatial.decode(temporal.decode(denormalised, numFrames: numFrames)))
        }
        return try Tensor.concatenate(pieces, axis: 2).eval()
    }

    /// Latent frames for `frames` pixel frames (1→1, 17→5, 51→15, 18→6, 40→12).
    public func latentFrames(_ frames: Int) -> Int { config.latentFrames(frames) }

    /// The frame ranges encoded independently (17 at a time; the last may be shorter).
    func clips(_ frames: Int) -> [Range<Int>] {
        guard let clip = config.microFrameSize else { return [0..<frames] }
        return stride(from: 0, to: frames, by: clip).map { $0..<min($0 + clip, frames) }
    }

    /// For each latent frame, the last real frame it covers (front padding puts it at 4t + 3 − pad in its clip): a
    /// clip of 17 maps to frames 0, 4, 8, 12, 16, a single image to frame 0.
    public func keyframes(_ frames: Int) -> [Int] {
        clips(frames).flatMap { clip -> [Int] in
            let pad = temporal.frontPadding(clip.count), f = config.temporal.timeDownsampleFactor
            return (0..<config.temporal.latentFrames(clip.count)).map { clip.lowerBound + f * $0 + f - 1 - pad }
        }
    }

    func validatePixels(_ x: Tensor) throws {
        try x.checked()
        let f = config.spatial.downsampleFactor
        guard x.ndim == 5, x.dim(1) == config.spatial.inChannels else {
            throw OpenSoraError.invalidInput(
                "video VAE: pixels have shape \(x.shape); expected [B, \(config.spatial.inChannels), T, H, W]")
        }
        guard x.dim(0) > 0, x.dim(2) > 0 else { throw OpenSoraError.invalidInput("video VAE: \(x.dim(2)) frames; need at least 1") }
        guard x.dim(3) >= f, x.dim(4) >= f else {
            throw OpenSoraError.invalidInput("video VAE: frame size \(x.dim(3))×\(x.dim(4)) is smaller than \(f)×\(f)")
        }
    }
}
