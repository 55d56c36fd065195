// Reference: train.py@v1.2.0 draws its noise from torch's global CUDA generator, seeded once and never saved, so a
// resumed run differs from an uninterrupted one; here every draw is a pure function of the run's seed and step.
import MLXTensor

/// The random keys of a run: key(step, micro-batch, purpose) depends on nothing else, so a run resumed at
/// step N draws exactly what the uninterrupted run draws at step N and no generator state needs saving.
public struct RunKeys: Sendable, Equatable {
    /// What a key is for; each purpose is an independent stream.
    public enum Purpose: UInt64, Sendable {
        case vaePosterior = 1, timesteps, noise, frameMasks, captionDropout, mixedLength, evaluation, dataOrder, discriminatorInit
    }

    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    public func key(step: Int, micro: Int = 0, _ purpose: Purpose) -> RandomKey {
        RandomKey(seed: seedValue(step: step, micro: micro, purpose))
    }

    /// The 64-bit seed behind `key(step:micro:_:)`, for generators that take an integer (NumPy, the data reader).
    public func seedValue(step: Int, micro: Int = 0, _ purpose: Purpose) -> UInt64 {
        Self.mix([seed, UInt64(truncatingIfNeeded: step), UInt64(truncatingIfNeeded: micro), purpose.rawValue])
    }

    /// SplitMix64 folded over the values: every input bit reaches every output bit.
    static func mix(_ values: [UInt64]) -> UInt64 {
        var state: UInt64 = 0x6A09_E667_F3BC_C908
        for v in values {
            state = (state ^ v) &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            state = z ^ (z >> 31)
        }
        return state
    }
}
