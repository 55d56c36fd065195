// Reference: opensora/utils/misc.py / mask_generator in opensora/utils/train_utils.py@v1.2.0 (MaskGenerator.__init__);
// spec/training.md §8. Order matters: the generator walks the ratios in insertion order.

/// The frame-mask kinds MaskGenerator accepts (`intepolate` is the reference's spelling).
public enum MaskKind: String, ConfigChoice {
    case identity, random, intepolate
    case quarterRandom = "quarter_random", quarterHead = "quarter_head", quarterTail = "quarter_tail"
    case quarterHeadTail = "quarter_head_tail"
    case imageRandom = "image_random", imageHead = "image_head", imageTail = "image_tail", imageHeadTail = "image_head_tail"
}

/// `mask_ratios`: kind → probability, in the order written; `identity` gets what the others leave.
public struct MaskRatios: Equatable, Sendable, Codable {
    public private(set) var entries: [(kind: MaskKind, ratio: Double)]

    /// Each ratio in [0, 1], no kind twice, the sum at most 1 (+1e-6, the reference's tolerance).
    public init(_ entries: [(kind: MaskKind, ratio: Double)], path: String = "mask_ratios") throws {
        var seen = Set<MaskKind>()
        for (kind, r) in entries {
            guard seen.insert(kind).inserted else { throw ConfigError.invalidValue(path: path, value: "'\(kind.rawValue)' twice", accepted: "each kind once") }
            guard (0...1).contains(r) else {
                throw ConfigError.invalidValue(path: "\(path).\(kind.rawValue)", value: "\(r)", accepted: "a probability in [0, 1]")
            }
        }
        let total = entries.reduce(0) { $0 + $1.ratio }
        guard total <= 1 + 1e-6 else { throw ConfigError.invalidValue(path: path, value: "ratios summing to \(total)", accepted: "a sum ≤ 1") }
        if let identity = entries.first(where: { $0.kind == .identity }), abs(total - 1) > 1e-6 {
            throw ConfigError.invalidValue(path: "\(path).identity", value: "\(identity.ratio) with a total of \(total)", accepted: "a total of 1")
        }
        self.entries = entries
    }

    public static func == (a: MaskRatios, b: MaskRatios) -> Bool {
        a.entries.map(\.kind) == b.entries.map(\.kind) && a.entries.map(\.ratio) == b.entries.map(\.ratio)
    }

    /// The ratio of `kind`, with identity's implicit share when it is absent.
    public func ratio(_ kind: MaskKind) -> Double {
        if let e = entries.first(where: { $0.kind == kind }) { return e.ratio }
        return kind == .identity ? max(0, 1 - entries.reduce(0) { $0 + $1.ratio }) : 0
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        var out = [(kind: MaskKind, ratio: Double)]()
        for key in c.allKeys {
            guard let kind = MaskKind(rawValue: key.stringValue) else {
                throw ConfigError.unknownKey(path: configPath(decoder.codingPath + [key]), accepted: MaskKind.allCases.map(\.rawValue),
                                             hint: ConfigSpelling.closest(to: key.stringValue, in: MaskKind.allCases.map(\.rawValue)))
            }
            out.append((kind, try c.decode(Double.self, forKey: key)))
        }
        try self.init(out, path: decoder.configKeyPath)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: ConfigKey.self)
        for (kind, r) in entries { try c.encode(r, forKey: ConfigKey(kind.rawValue)) }
    }
}
