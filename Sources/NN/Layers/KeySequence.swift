import MLXTensor

/// Independent keys handed out one at a time, for constructors whose child count depends on the
/// config (each `next()` splits the remainder in two, so no key is ever used twice).
public struct KeySequence {
    private var rest: RandomKey

    public init(_ key: RandomKey) { rest = key }

    public mutating func next() -> RandomKey {
        let pair = rest.split(into: 2)
        rest = pair[1]
        return pair[0]
    }
}
