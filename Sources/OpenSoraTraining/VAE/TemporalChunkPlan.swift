// Reference: opensora/models/vae/vae.py@v1.2.0 (VideoAutoencoderPipeline.encode/decode),
// opensora/models/vae/vae_temporal.py@v1.2.0 (VAE_Temporal.encode/decode); spec/training.md §13.3.

/// How a clip of any length reaches the temporal VAE: cut into micro_frame_size chunks, each
/// zero-padded in *front* to a multiple of the time factor (pad (f − n mod f) mod f) and, on decode,
/// cut back by dropping that many leading frames. This padding is what lets mixed lengths train (the
/// report's "zero-pad to 17 / 43 − n frames" is not what the code does, spec/training.md §13.3).
public struct TemporalChunk: Equatable, Sendable {
    public let frames: Int
    public let frontPadding: Int
    public let latentFrames: Int
}

public enum TemporalChunkPlan {
    /// The chunks of a `frames`-frame clip (nil `microFrameSize`: one chunk), in order.
    public static func chunks(frames: Int, microFrameSize: Int?, timeFactor: Int = 4) -> [TemporalChunk] {
        guard frames > 0, timeFactor > 0 else { return [] }
        let size = microFrameSize.map { Swift.max($0, 1) } ?? frames
        return stride(from: 0, to: frames, by: size).map { start in
            let n = Swift.min(size, frames - start)
            let pad = (timeFactor - n % timeFactor) % timeFactor
            return TemporalChunk(frames: n, frontPadding: pad, latentFrames: (n + pad) / timeFactor)
        }
    }
}
