// Reference: numpy/random/_pcg64.pyx (PCG64._reset_state_variables / seeding) and src/pcg64/pcg64.h
// (pcg_setseq_128_srandom_r, pcg_setseq_128_step_r, pcg_output_xsl_rr_128_64), numpy 2.4.6.

/// numpy's PCG64 bit generator: a 128-bit LCG with the XSL-RR output, seeded from a `SeedSequence`.
public struct PCG64: Equatable, Sendable {
    /// An unsigned 128-bit value as two halves (the stdlib's UInt128 needs macOS 15).
    struct Word128: Equatable, Sendable {
        var high: UInt64
        var low: UInt64

        static func &+ (a: Word128, b: Word128) -> Word128 {
            let (low, carry) = a.low.addingReportingOverflow(b.low)
            return Word128(high: a.high &+ b.high &+ (carry ? 1 : 0), low: low)
        }

        static func &* (a: Word128, b: Word128) -> Word128 {
            let (high, low) = a.low.multipliedFullWidth(by: b.low)
            return Word128(high: high &+ a.high &* b.low &+ a.low &* b.high, low: low)
        }
    }

    /// PCG_DEFAULT_MULTIPLIER_128.
    static let multiplier = Word128(high: 2_549_297_995_355_413_924, low: 4_865_540_595_714_422_341)

    private(set) var state: Word128
    let increment: Word128

    /// `PCG64(seed_seq)`: four 64-bit words from the sequence; state = (w0, w1), stream = (w2, w3),
    /// high half first, then numpy's `srandom_r` (state 0, step, add the seed, step).
    public init(seedSequence: SeedSequence) {
        let w = seedSequence.generateState64(count: 4)
        let seed = Word128(high: w[0], low: w[1])
        let stream = Word128(high: w[2], low: w[3])
        increment = Word128(high: stream.high << 1 | stream.low >> 63, low: stream.low << 1 | 1)
        state = Word128(high: 0, low: 0)
        step()
        state = state &+ seed
        step()
    }

    private mutating func step() {
        state = state &* Self.multiplier &+ increment
    }

    /// `pcg64_next64`: advance, then XSL-RR (xor of the halves rotated right by the top 6 bits).
    public mutating func nextUInt64() -> UInt64 {
        step()
        let x = state.high ^ state.low
        let rotation = state.high >> 58
        return x >> rotation | x << ((64 &- rotation) & 63)
    }
}
