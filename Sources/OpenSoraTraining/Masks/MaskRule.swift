// Reference: opensora/utils/train_utils.py@v1.2.0 (MaskGenerator.get_mask: the branch per mask name);
// spec/training.md §8. `false` marks a condition frame (kept clean), `true` a generated one.

/// The uniforms one sample's mask consumes, each in [0, 1): `size` and `place` stand in for the reference's
/// `random.randint`/`random.uniform` calls in their order, `frames` for `torch.rand(T)`.
public struct MaskDraws: Sendable {
    public var size: Double
    public var place: Double
    public var frames: [Double]

    public init(size: Double, place: Double, frames: [Double]) {
        self.size = size
        self.place = place
        self.frames = frames
    }
}

extension MaskType {
    /// This type's mask over `frameCount` frames. One frame (or none) is always all generated, as the
    /// reference returns before any draw; a quarter type on 2–3 frames throws where the reference raises.
    public func mask(frameCount t: Int, draws: MaskDraws) throws -> [Bool] {
        var mask = [Bool](repeating: true, count: Swift.max(t, 0))
        guard t > 1 else { return mask }
        let quarter = t / 4
        if drawsQuarterLength, quarter < 1 { throw MaskGeneratorError.tooFewFramesForQuarter(self, frames: t) }
        func condition(_ range: Range<Int>) { for i in range { mask[i] = false } }
        switch self {
        case .identity:
            break
        case .quarterRandom:
            let n = Self.randint(1, quarter, draws.size)
            let p = Self.randint(0, t - n, draws.place)
            condition(p..<(p + n))
        case .imageRandom:
            let p = Self.randint(0, t - 1, draws.place)
            condition(p..<(p + 1))
        case .quarterHead:
            condition(0..<Self.randint(1, quarter, draws.size))
        case .imageHead:
            condition(0..<1)
        case .quarterTail:
            condition((t - Self.randint(1, quarter, draws.size))..<t)
        case .imageTail:
            condition((t - 1)..<t)
        case .quarterHeadTail:
            let n = Self.randint(1, quarter, draws.size)
            condition(0..<n)
            condition((t - n)..<t)
        case .imageHeadTail:
            // On two frames both are conditions: the reference then trains on no generated frame.
            condition(0..<1)
            condition((t - 1)..<t)
        case .intepolate:
            for i in stride(from: Self.randint(0, 1, draws.size), to: t, by: 2) { mask[i] = false }
        case .random:
            let threshold = 0.1 + 0.8 * draws.place  // random.uniform(0.1, 0.9)
            for i in 0..<t { mask[i] = (i < draws.frames.count ? draws.frames[i] : 0) > threshold }
            if !mask.contains(true) { mask[t - 1] = true }
        }
        return mask
    }

    /// `random.randint(low, high)` (both inclusive) from one uniform in [0, 1).
    static func randint(_ low: Int, _ high: Int, _ u: Double) -> Int {
        let span = high - low + 1
        return low + Swift.min(Swift.max(Int(u * Double(span)), 0), span - 1)
    }
}
