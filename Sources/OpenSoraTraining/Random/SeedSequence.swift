// Reference: numpy/random/bit_generator.pyx (SeedSequence: mix_entropy, hashmix, mix, generate_state), numpy 2.4.6.
// Open-Sora seeds every bucket draw with `np.random.default_rng(seed)`, which starts here.

/// numpy's `SeedSequence(entropy)` with no spawn key: a 4-word pool mixed from the entropy words,
/// from which `generateState` draws as many 32-bit words as a bit generator asks for.
public struct SeedSequence: Equatable, Sendable {
    static let poolSize = 4
    static let initA: UInt32 = 0x43b0_d7e5, multA: UInt32 = 0x931e_8875
    static let initB: UInt32 = 0x8b51_f9dd, multB: UInt32 = 0x58f3_8ded
    static let mixMultL: UInt32 = 0xca01_f9dd, mixMultR: UInt32 = 0x4973_f715
    static let xShift: UInt32 = 16

    /// The mixed entropy pool (numpy's `SeedSequence.pool`).
    public let pool: [UInt32]

    /// A non-negative Python integer seed: its 32-bit words, least significant first (0 is `[0]`),
    /// as numpy's `_coerce_to_uint32_array` splits it.
    public init(entropy: UInt64) {
        var words: [UInt32] = [UInt32(truncatingIfNeeded: entropy)]
        if entropy >> 32 != 0 { words.append(UInt32(truncatingIfNeeded: entropy >> 32)) }
        self.init(entropyWords: words)
    }

    /// Entropy given as 32-bit words, least significant first (an integer of any size).
    public init(entropyWords: [UInt32]) {
        var hashConst = Self.initA
        func hashmix(_ value: UInt32) -> UInt32 {
            var v = value ^ hashConst
            hashConst = hashConst &* Self.multA
            v = v &* hashConst
            return v ^ (v >> Self.xShift)
        }
        func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
            let r = Self.mixMultL &* x &- Self.mixMultR &* y
            return r ^ (r >> Self.xShift)
        }
        var mixer = (0..<Self.poolSize).map { hashmix($0 < entropyWords.count ? entropyWords[$0] : 0) }
        for source in 0..<Self.poolSize {
            for target in 0..<Self.poolSize where source != target {
                mixer[target] = mix(mixer[target], hashmix(mixer[source]))
            }
        }
        for source in Self.poolSize..<max(Self.poolSize, entropyWords.count) {
            for target in 0..<Self.poolSize {
                mixer[target] = mix(mixer[target], hashmix(entropyWords[source]))
            }
        }
        pool = mixer
    }

    /// `generate_state(n, np.uint32)`: n words cycling over the pool, each hashed with a running constant.
    public func generateState(wordCount: Int) -> [UInt32] {
        var hashConst = Self.initB
        return (0..<max(0, wordCount)).map { i in
            var v = pool[i % Self.poolSize] ^ hashConst
            hashConst = hashConst &* Self.multB
            v = v &* hashConst
            return v ^ (v >> Self.xShift)
        }
    }

    /// `generate_state(n, np.uint64)`: 2n words viewed as little-endian 64-bit values (low word first).
    public func generateState64(count: Int) -> [UInt64] {
        let words = generateState(wordCount: 2 * max(0, count))
        return (0..<max(0, count)).map { UInt64(words[2 * $0]) | UInt64(words[2 * $0 + 1]) << 32 }
    }
}
