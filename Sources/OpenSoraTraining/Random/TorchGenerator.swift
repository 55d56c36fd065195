// Reference: aten/src/ATen/core/MT19937RNGEngine.h (mt19937_engine, init_with_uint32) and
// aten/src/ATen/native/TensorFactories.cpp (randperm_cpu, small-n branch), PyTorch 2.x.

/// A CPU `torch.Generator` after `manual_seed(seed)`: the 32-bit Mersenne Twister seeded with the low
/// 32 bits of the seed, and `torch.randperm(n, generator=g)` as its CPU kernel draws it.
public struct TorchGenerator: Equatable, Sendable {
    static let stateSize = 624, shift = 397
    static let matrixA: UInt32 = 0x9908_b0df, upperMask: UInt32 = 0x8000_0000, lowerMask: UInt32 = 0x7fff_ffff
    /// randperm's small-n branch (`n < UINT32_MAX / 20`), the only one reproduced.
    public static let maxPermutationLength = Int(UInt32.max / 20) - 1

    private var state: [UInt32]
    private var left = 1
    private var next = 0

    public init(seed: UInt64) {
        var s = [UInt32](repeating: 0, count: Self.stateSize)
        s[0] = UInt32(truncatingIfNeeded: seed)
        for j in 1..<Self.stateSize {
            s[j] = 1_812_433_253 &* (s[j - 1] ^ (s[j - 1] >> 30)) &+ UInt32(j)
        }
        state = s
    }

    /// `CPUGeneratorImpl::random()`: one tempered 32-bit output.
    public mutating func nextUInt32() -> UInt32 {
        left -= 1
        if left == 0 { refill() }
        var y = state[next]
        next += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    private mutating func refill() {
        let n = Self.stateSize, m = Self.shift
        func twist(_ u: UInt32, _ v: UInt32) -> UInt32 {
            (((u & Self.upperMask) | (v & Self.lowerMask)) >> 1) ^ ((v & 1) != 0 ? Self.matrixA : 0)
        }
        for i in 0..<(n - m) { state[i] = state[i + m] ^ twist(state[i], state[i + 1]) }
        for i in (n - m)..<(n - 1) { state[i] = state[i + m - n] ^ twist(state[i], state[i + 1]) }
        state[n - 1] = state[m - 1] ^ twist(state[n - 1], state[0])
        left = n
        next = 0
    }

    /// `torch.randperm(n, generator=g)`: identity, then for i in 0..<n−1 swap i with i + random() % (n − i).
    public mutating func randomPermutation(_ n: Int) throws -> [Int] {
        guard n >= 0, n <= Self.maxPermutationLength else {
            throw TorchGeneratorError.permutationLength(n, accepted: 0...Self.maxPermutationLength)
        }
        var r = Array(0..<n)
        if n < 2 { return r }
        for i in 0..<(n - 1) {
            let z = Int(UInt64(nextUInt32()) % UInt64(n - i))
            r.swapAt(i, i + z)
        }
        return r
    }
}

/// A permutation the reproduced randperm branch cannot draw.
public enum TorchGeneratorError: Error, Equatable, CustomStringConvertible {
    case permutationLength(Int, accepted: ClosedRange<Int>)

    public var description: String {
        switch self {
        case .permutationLength(let n, let accepted):
            "[randperm] length \(n) is outside \(accepted.lowerBound)...\(accepted.upperBound) (torch's small-n CPU branch)"
        }
    }
}
