// Reference: opensora/models/vae/vae.py@v1.2.0 (VideoAutoencoderPipeline.encode/decode/forward with
// cal_loss=True); scripts/train_vae.py@v1.2.0; spec/training.md §13.2.
import MLXTensor
import NN

/// What `VideoAutoencoderPipeline.forward` returns with cal_loss=True (`x_rec, x_z_rec, z, posterior,
/// x_z`), in the reference layout [B, C, T, H, W]; nothing is shift/scale-normalised.
public struct VideoVAETrainingOutput {
    /// x_rec: the spatial decoder applied to `latentReconstruction`, [B, 3, T, 8h, 8w].
    public let reconstruction: Tensor
    /// x_z_rec: the temporal VAE's reconstruction of the spatial latents, [B, 4, T, h, w].
    public let latentReconstruction: Tensor
    /// z: the temporal posteriors' samples, chunks concatenated in time, [B, 4, T', h, w].
    public let z: Tensor
    /// The temporal posterior of the *last* chunk only: the reference returns its loop variable, so
    /// with micro_frame_size the KL sees only the final clip (spec/training.md §14 pitfall 12).
    public let posterior: DiagonalGaussian
    /// x_z: the spatial posterior's sample × 0.18215, [B, 4, T, h, w].
    public let spatialLatents: Tensor
    /// For each frame of z, the frame of `spatialLatents` it ends on (`VideoVAE.keyframes`).
    public var keyframes: [Int] = []

    public init(reconstruction: Tensor, latentReconstruction: Tensor, z: Tensor, posterior: DiagonalGaussian, spatialLatents: Tensor) {
        self.reconstruction = reconstruction
        self.latentReconstruction = latentReconstruction
        self.z = z
        self.posterior = posterior
        self.spatialLatents = spatialLatents
    }
}

extension VideoVAE {
    /// Gradient checkpointing of both VAEs: the spatial encoder's down/mid blocks and decoder's mid/up
    /// blocks (diffusers' granularity), the temporal VAE's residual levels and blocks. The reference's
    /// `grad_checkpoint=True` sets `grad_checkpointing` on every module, which neither VAE reads.
    public var gradientCheckpointing: Bool {
        get { temporal.encoder.gradientCheckpointing }
        set {
            temporal.encoder.gradientCheckpointing = newValue
            temporal.decoder.gradientCheckpointing = newValue
            spatial.module.encoder.gradientCheckpointing = newValue
            spatial.module.decoder.gradientCheckpointing = newValue
        }
    }

    /// The training forward (`VideoAutoencoderPipeline.forward`): spatial posterior sampled with
    /// `spatialNoise` [B, 4, T, h, w], each temporal chunk's posterior with its slice of
    /// `temporalNoise` [B, 4, T', h, w], then the cal_loss decode of z back to T frames. `spatialOnly` bypasses the
    /// temporal VAE: z and its reconstruction are x_z, the posterior the spatial one (a 2-D VAE trained alone).
    public func trainingForward(_ x: Tensor, spatialNoise: Tensor, temporalNoise: Tensor, spatialOnly: Bool = false) throws -> VideoVAETrainingOutput {
        try validatePixels(x)
        let spatialPosterior = try spatial.posterior(x)
        try requireShape(spatialNoise, spatialPosterior.mean.shape, "spatial noise")
        let xz = spatialPosterior.sample(noise: spatialNoise) * spatial.scalingFactor
        if spatialOnly {
            return VideoVAETrainingOutput(reconstruction: try spatial.decode(xz), latentReconstruction: xz, z: xz, posterior: spatialPosterior,
                                          spatialLatents: xz)
        }
        let frames = xz.dim(2)
        var latentShape = xz.shape
        latentShape[2] = latentFrames(frames)
        try requireShape(temporalNoise, latentShape, "temporal noise")

        var samples = [Tensor](), last: DiagonalGaussian?, offset = 0
        for clip in clips(frames) {
            let posterior = temporal.encode(xz[.all, .all, clip])
            let n = posterior.mean.dim(2)
            samples.append(posterior.sample(noise: temporalNoise[.all, .all, offset..<(offset + n)]))
            last = posterior
            offset += n
        }
        guard let last else { throw OpenSoraError.invalidInput("video VAE: no frames to encode") }
        let z = Tensor.concatenate(samples, axis: 2)
        let (reconstruction, latentReconstruction) = try trainingDecode(z, numFrames: frames)
        var output = VideoVAETrainingOutput(reconstruction: reconstruction, latentReconstruction: latentReconstruction, z: z,
                                            posterior: last, spatialLatents: xz)
        output.keyframes = keyframes(frames)
        return output
    }

    /// The cal_loss decode: z is used as is (no shift/scale), each latent chunk of a micro_frame_size
    /// clip is decoded with num_frames = min(clip, remaining), then the spatial decoder runs on all
    /// frames. Returns (x_rec, x_z_rec).
    public func trainingDecode(_ z: Tensor, numFrames: Int) throws -> (reconstruction: Tensor, latentReconstruction: Tensor) {
        try z.checked()
        guard z.ndim == 5, z.dim(1) == latentChannels, z.shape.allSatisfy({ $0 > 0 }) else {
            throw OpenSoraError.invalidInput("video VAE: latents have shape \(z.shape); expected [B, \(latentChannels), T, h, w]")
        }
        guard numFrames > 0 else { throw OpenSoraError.invalidInput("video VAE: num_frames \(numFrames) must be positive") }
        var pieces = [Tensor]()
        if let clip = config.microFrameSize {
            let latentClip = config.temporal.latentFrames(clip)
            var remaining = numFrames
            for start in stride(from: 0, to: z.dim(2), by: latentClip) {
                guard remaining > 0 else {
                    throw OpenSoraError.invalidInput("video VAE: \(z.dim(2)) latent frames are more than \(numFrames) frames need")
                }
                let chunk = z[.all, .all, start..<min(start + latentClip, z.dim(2))]
                pieces.append(temporal.decode(chunk, numFrames: min(clip, remaining)))
                remaining -= clip
            }
        } else {
            pieces.append(temporal.decode(z, numFrames: numFrames))
        }
        let xz = try Tensor.concatenate(pieces, axis: 2).checked()
        return (try spatial.decode(xz), xz)
    }

    private func requireShape(_ t: Tensor, _ shape: [Int], _ what: String) throws {
        try t.checked()
        guard t.shape == shape else {
            throw OpenSoraError.invalidInput("video VAE: \(what) has shape \(t.shape); expected \(shape)")
        }
    }
}
