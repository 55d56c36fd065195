// Reference: scripts/train.py@v1.2.0 (one step: `x = vae.encode(x)`, `model_args = text_encoder.encode(y)`, the batch's
// num_frames/height/width/ar/fps cast to the training dtype); spec/training.md §6.
import MLXTensor
import OpenSora

/// One batch as the diffusion model trains on it: latents, caption features and the per-sample geometry.
/// Made by encoding a video batch, or read back from the feature cache.
public struct DiffusionBatch {
    /// Normalised VAE latents x0 [B, C, T', h, w].
    public var latents: Tensor
    /// T5 features [B, 1, L, Ccap].
    public var caption: Tensor
    /// Token mask [B, L] (1 = token).
    public var captionMask: Tensor
    public var fps: [Float]
    /// Pixel height, width and frame count of each video (the timestep transform and position scale read them).
    public var heights: [Float]
    public var widths: [Float]
    public var numFrames: [Float]

    public var count: Int { latents.dim(0) }

    public init(latents: Tensor, caption: Tensor, captionMask: Tensor, fps: [Float], heights: [Float], widths: [Float],
                numFrames: [Float]) {
        (self.latents, self.caption, self.captionMask, self.fps) = (latents, caption, captionMask, fps)
        (self.heights, self.widths, self.numFrames) = (heights, widths, numFrames)
    }

    /// Encodes a video batch: the VAE posterior is sampled with `key` (as the reference samples it), captions through T5.
    public init(encoding batch: TrainingBatch, vae: VideoVAE, textEncoder: TextEncoder, key: RandomKey) throws {
        let latents = try vae.encode(batch.video, key: key).eval()
        let (caption, mask) = try textEncoder.encode(batch.texts)
        self.init(latents: latents, caption: caption, captionMask: mask, fps: batch.fps.map(Float.init),
                  heights: batch.heights.map(Float.init), widths: batch.widths.map(Float.init),
                  numFrames: batch.numFrames.map(Float.init))
    }

    /// What the timestep transform and the model read per sample.
    public typealias Geometry = (fps: [Float], heights: [Float], widths: [Float], numFrames: [Float])

    /// The geometry as the reference passes it: cast to the training dtype (bf16 rounds 426 to 428, spec/training.md §7).
    public func geometry(in dtype: DType) throws -> Geometry {
        func cast(_ v: [Float]) throws -> [Float] { dtype == .float32 ? v : try Tensor(v).asType(dtype).asType(.float32).toArray() }
        return (try cast(fps), try cast(heights), try cast(widths), try cast(numFrames))
    }
}
