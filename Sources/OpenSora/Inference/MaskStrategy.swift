// Reference: opensora/utils/inference_utils.py@v1.2.0 (parse_mask_strategy, find_nearest_point,
// apply_mask_strategy); spec/inference.md §9.

/// One condition: reference `referenceIndex`'s latent frames from `referenceStart` go to the
/// generated clip's frames from `targetStart`, for `length` frames, with edit strength `editRatio`
/// (0 = frozen, 1 = regenerated) during loop `loop`. Positions are latent frames; negative ones
/// count from the end.
public struct MaskCondition: Equatable, Sendable {
    public var loop = 0
    public var referenceIndex = 0
    public var referenceStart = 0
    public var targetStart = 0
    public var length = 1
    public var editRatio = 0.0

    public init(loop: Int = 0, referenceIndex: Int = 0, referenceStart: Int = 0, targetStart: Int = 0, length: Int = 1,
                editRatio: Double = 0) {
        self.loop = loop
        self.referenceIndex = referenceIndex
        self.referenceStart = referenceStart
        self.targetStart = targetStart
        self.length = length
        self.editRatio = editRatio
    }
}

/// The `--mask-strategy` grammar: `;`-separated conditions of 1 to 6 comma fields
/// `loop,ref,ref_start,target_start,length,edit_ratio`, defaults `0,0,0,0,1,0`.
public struct MaskStrategy: Equatable, Sendable {
    public var conditions: [MaskCondition]

    public init(_ conditions: [MaskCondition] = []) { self.conditions = conditions }

    public init(parsing text: String?) throws {
        guard let text, !text.isEmpty else {
            conditions = []
            return
        }
        conditions = try text.split(separator: ";", omittingEmptySubsequences: false).map { entry in
            let fields = entry.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard (1...6).contains(fields.count) else {
                throw OpenSoraError.invalidInput("invalid mask strategy '\(entry)': 1 to 6 comma fields "
                    + "(loop,ref,ref_start,target_start,length,edit_ratio), got \(fields.count)")
            }
            let all = fields + ["0", "0", "0", "0", "1", "0"][fields.count...]
            func int(_ i: Int) throws -> Int {
                guard let v = Int(all[i].trimmingPythonWhitespace()) else {
                    throw OpenSoraError.invalidInput("invalid mask strategy '\(entry)': field \(i + 1) '\(all[i])' is not an integer")
                }
                return v
            }
            guard let ratio = Double(all[5].trimmingPythonWhitespace()) else {
                throw OpenSoraError.invalidInput("invalid mask strategy '\(entry)': edit ratio '\(all[5])' is not a number")
            }
            return MaskCondition(loop: try int(0), referenceIndex: try int(1), referenceStart: try int(2), targetStart: try int(3),
                                 length: try int(4), editRatio: ratio)
        }
        try validate()
    }

    /// Positions beyond any clip would overflow the planner's arithmetic; ratios must be numbers.
    public static let positionLimit = 1_000_000

    /// Every field within ±`positionLimit`, every edit ratio finite.
    public func validate() throws {
        for c in conditions {
            let fields = [("loop", c.loop), ("ref", c.referenceIndex), ("ref_start", c.referenceStart),
                          ("target_start", c.targetStart), ("length", c.length)]
            for (name, v) in fields where v.magnitude > Self.positionLimit {
                throw OpenSoraError.invalidInput("invalid mask strategy '\(MaskStrategy([c]).text)': \(name) \(v) is out of range; "
                    + "accepted: -\(Self.positionLimit)...\(Self.positionLimit)")
            }
            guard c.editRatio.isFinite else {
                throw OpenSoraError.invalidInput("invalid mask strategy '\(MaskStrategy([c]).text)': edit ratio must be a finite number")
            }
        }
    }

    /// The grammar's text for these conditions (all six fields), which `init(parsing:)` reads back.
    public var text: String {
        conditions.map { c in
            "\(c.loop),\(c.referenceIndex),\(c.referenceStart),\(c.targetStart),\(c.length),\(c.editRatio)"
        }.joined(separator: ";")
    }

    /// These conditions and then `more` (a loop's carried-over frames are appended this way).
    public func appending(_ more: MaskCondition) -> MaskStrategy { MaskStrategy(conditions + [more]) }

    /// Snaps `value` to a multiple of `point`, rounding up only when past the half and not onto the
    /// last multiple below `maxValue` (the reference's find_nearest_point).
    public static func snap(_ value: Int, to point: Int, max maxValue: Int) -> Int {
        var q = floorDivide(value, point)
        if Double(floorModulo(value, point)) > Double(point) / 2 && q < floorDivide(maxValue, point) - 1 { q += 1 }
        return q * point
    }

    /// One applied condition: copy `count` reference frames from `referenceStart` to `targetStart`.
    public struct Placement: Equatable, Sendable {
        public let referenceIndex: Int
        public let referenceStart: Int
        public let targetStart: Int
        public let count: Int
    }

    /// The per-frame mask (edit ratios, 1 = generate) and where reference frames go, for loop `loop`
    /// of a clip of `latentFrames`, given each reference's latent length. Later conditions win.
    public func plan(latentFrames: Int, referenceLengths: [Int], loop: Int, align: Int? = nil) throws -> (mask: [Double], placements: [Placement]) {
        try validate()
        if let align, align < 1 { throw OpenSoraError.invalidInput("align \(align) must be at least 1 latent frame") }
        var mask = [Double](repeating: 1, count: max(latentFrames, 0)), placements = [Placement]()
        for c in conditions where c.loop == loop {
            guard referenceLengths.indices.contains(c.referenceIndex) else {
                throw OpenSoraError.invalidInput("mask strategy refers to reference \(c.referenceIndex), but \(referenceLengths.count) "
                    + "reference(s) were given")
            }
            let refLength = referenceLengths[c.referenceIndex]
            var refStart = c.referenceStart < 0 ? c.referenceStart + refLength : c.referenceStart
            var target = c.targetStart < 0 ? c.targetStart + latentFrames : c.targetStart
            if let align {
                refStart = Self.snap(refStart, to: align, max: refLength)
                target = Self.snap(target, to: align, max: latentFrames)
            }
            guard refStart >= 0, target >= 0 else {
                throw OpenSoraError.invalidInput("mask strategy position out of range: reference start \(refStart), target start \(target)")
            }
            let n = min(c.length, latentFrames - target, refLength - refStart)
            guard n > 0 else { continue }
            for f in target..<(target + n) { mask[f] = c.editRatio }
            placements.append(Placement(referenceIndex: c.referenceIndex, referenceStart: refStart, targetStart: target, count: n))
        }
        return (mask, placements)
    }
}

func floorDivide(_ a: Int, _ b: Int) -> Int { Int((Double(a) / Double(b)).rounded(.down)) }
func floorModulo(_ a: Int, _ b: Int) -> Int { a - floorDivide(a, b) * b }

/// Encoded as its grammar text (as requests and sidecars carry it), validated when decoded.
extension MaskStrategy: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}
