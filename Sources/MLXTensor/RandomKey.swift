import CMLX

/// An explicit PRNG key (MLX's threefry): every random draw takes one, so results follow from the
/// user's seed alone (DESIGN.md, Conventions).
public struct RandomKey: Sendable {
    public let tensor: Tensor

    public init(seed: UInt64) {
        tensor = Tensor.op { cmlx_random_key($0, seed) }
    }

    init(tensor: Tensor) { self.tensor = tensor }

    /// `count` independent keys derived from this one.
    /// A count below 1 gives one key carrying the failure (never a trap on a bad count).
    public func split(into count: Int = 2) -> [RandomKey] {
        guard count >= 1 else {
            return [RandomKey(tensor: Tensor.failed(tensor) ?? Tensor(failure: .invalidArgument("[random.split] count \(count): at least 1")))]
        }
        let keys = Tensor.op(tensor) { cmlx_random_split($0, tensor.handle, cInt(count)) }
        return (0..<count).map { RandomKey(tensor: keys[$0]) }
    }
}

/// Draws.
extension Tensor {
    public static func normal(_ shape: [Int], key: RandomKey, dtype: DType = .float32) -> Tensor {
        withInt32(shape) { s, n in Tensor.op(key.tensor) { cmlx_random_normal($0, s, n, dtype.cValue, key.tensor.handle) } }
    }

    /// Uniform on [low, high).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, key: RandomKey,
                               dtype: DType = .float32) -> Tensor {
        withInt32(shape) { s, n in
            Tensor.op(key.tensor) { cmlx_random_uniform($0, low, high, s, n, dtype.cValue, key.tensor.handle) }
        }
    }

    /// Bool draws, true with probability `p` (broadcast to `shape`).
    public static func bernoulli(_ p: Tensor, shape: [Int], key: RandomKey) -> Tensor {
        withInt32(shape) { s, n in Tensor.op(p, key.tensor) { cmlx_random_bernoulli($0, p.handle, s, n, key.tensor.handle) } }
    }

    /// One index per row drawn from softmax(logits) along `axis`.
    public static func categorical(logits: Tensor, axis: Int = -1, key: RandomKey) -> Tensor {
        Tensor.op(logits, key.tensor) { cmlx_random_categorical($0, logits.handle, cInt(axis), key.tensor.handle) }
    }

    /// Integers in [low, high).
    public static func randint(_ shape: [Int], low: Int, high: Int, key: RandomKey, dtype: DType = .int32) -> Tensor {
        guard let lo = Int32(exactly: low), let hi = Int32(exactly: high) else {
            return Tensor(failure: .invalidArgument("[random.randint] bounds [\(low), \(high)) must lie within Int32"))
        }
        return withInt32(shape) { s, n in
            Tensor.op(key.tensor) { cmlx_random_randint($0, lo, hi, s, n, dtype.cValue, key.tensor.handle) }
        }
    }
}

extension RandomKey {
    /// The `index`-th key derived from this one (a stable way to give each item of a run its own key).
    public func child(_ index: Int) -> RandomKey {
        guard index >= 0 else {
            return RandomKey(tensor: Tensor.failed(tensor) ?? Tensor(failure: .invalidArgument("[random.child] index \(index): at least 0")))
        }
        return split(into: index + 1)[index]
    }
}
