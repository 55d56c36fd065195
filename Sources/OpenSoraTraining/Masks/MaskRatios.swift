// Reference: opensora/utils/train_utils.py@v1.2.0 (MaskGenerator.__init__); configs/opensora-v1-2/train/*.py
// (mask_ratios); spec/training.md §8.

/// The probability of each mask type, in the config's order (the draw walks it in that order).
/// Without `identity` it is appended last with `1 − Σ others`, as the reference does.
public struct MaskRatios: Equatable, Sendable {
    public let entries: [(type: MaskType, ratio: Double)]

    public init(_ entries: [(type: MaskType, ratio: Double)]) throws {
        var seen = Set<MaskType>()
        for (type, ratio) in entries {
            guard seen.insert(type).inserted else { throw MaskGeneratorError.duplicateType(type.rawValue) }
            guard ratio >= 0, ratio <= 1 else { throw MaskGeneratorError.ratioOutOfRange(type, ratio) }
        }
        var all = entries
        let sum = entries.reduce(0) { $0 + $1.ratio }
        if !seen.contains(.identity) {
            // The reference would accept a sum above 1 here (a negative identity still totals 1); we refuse it.
            guard sum <= 1 + 1e-6 else { throw MaskGeneratorError.ratiosDoNotSumToOne(sum) }
            all.append((.identity, Swift.max(0, 1 - sum)))
        } else {
            guard abs(sum - 1) <= 1e-6 else { throw MaskGeneratorError.ratiosDoNotSumToOne(sum) }
        }
        self.entries = all
    }

    /// From the config's names (`"intepolate"` etc.); an unknown name is an error naming the accepted ones.
    public init(named entries: [(name: String, ratio: Double)]) throws {
        var seen = Set<String>()
        try self.init(entries.map { name, ratio in
            guard seen.insert(name).inserted else { throw MaskGeneratorError.duplicateType(name) }
            guard let type = MaskType(rawValue: name) else { throw MaskGeneratorError.unknownType(name) }
            return (type, ratio)
        })
    }

    public func ratio(of type: MaskType) -> Double { entries.first { $0.type == type }?.ratio ?? 0 }

    /// The first type whose cumulative ratio exceeds `u` in [0, 1); none (rounding) behaves as identity.
    public func type(at u: Double) -> MaskType {
        var accumulated = 0.0
        for (type, ratio) in entries {
            accumulated += ratio
            if u < accumulated { return type }
        }
        return .identity
    }

    public static func == (a: MaskRatios, b: MaskRatios) -> Bool {
        a.entries.map(\.type) == b.entries.map(\.type) && a.entries.map(\.ratio) == b.entries.map(\.ratio)
    }
}

extension MaskRatios {
    private static func preset(random: Double, quarter: Double, imageRandom: Double, imageHead: Double,
                               imageSides: Double) -> MaskRatios {
        let entries: [(type: MaskType, ratio: Double)] = [
            (.random, random), (.intepolate, quarter), (.quarterRandom, quarter), (.quarterHead, quarter),
            (.quarterTail, quarter), (.quarterHeadTail, quarter), (.imageRandom, imageRandom), (.imageHead, imageHead),
            (.imageTail, imageSides), (.imageHeadTail, imageSides),
        ]
        // Constant ratios in [0, 1] summing below 1: the throwing init cannot fail.
        return (try? MaskRatios(entries)) ?? MaskRatios(unchecked: entries + [(.identity, 0)])
    }

    private init(unchecked entries: [(type: MaskType, ratio: Double)]) { self.entries = entries }

    /// `adapt.py` (also feat/bs/stage1_feat): identity 0.5.
    public static let v1_2Adapt = preset(random: 0.2, quarter: 0.01, imageRandom: 0.05, imageHead: 0.1, imageSides: 0.05)
    /// `stage1.py` and `stage2.py`: identity 0.8.
    public static let v1_2Stage1 = preset(random: 0.05, quarter: 0.005, imageRandom: 0.025, imageHead: 0.05, imageSides: 0.025)
    /// `stage3.py`: identity 0.75.
    public static let v1_2Stage3 = preset(random: 0.01, quarter: 0.002, imageRandom: 0, imageHead: 0.22, imageSides: 0.005)
}
