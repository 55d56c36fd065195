// Reference: numpy/random/_generator.pyx (default_rng, Generator.random) and
// src/distributions/distributions.c (next_double), numpy 2.4.6.

/// `np.random.default_rng(seed)` and its `random()`, bit for bit: what Open-Sora's bucket assignment
/// draws (opensora/datasets/bucket.py `Bucket.get_bucket_id`).
public struct NumPyRandom: Equatable, Sendable {
    private var bits: PCG64

    /// `default_rng(seed)` for a non-negative integer seed.
    public init(seed: UInt64) {
        bits = PCG64(seedSequence: SeedSequence(entropy: seed))
    }

    public init(seedSequence: SeedSequence) {
        bits = PCG64(seedSequence: seedSequence)
    }

    /// The next raw 64-bit output of the PCG64 stream.
    public mutating func nextUInt64() -> UInt64 {
        bits.nextUInt64()
    }

    /// `Generator.random()`: the top 53 bits of one 64-bit output, scaled to [0, 1).
    public mutating func random() -> Double {
        Double(nextUInt64() >> 11) * 0x1.0p-53
    }
}
