// Reference: opensora/utils/train_utils.py@v1.2.0 (MaskGenerator's assertions; random.randint(1, 0) on short clips).

/// A mask configuration or draw the reference rejects (or crashes on), named with what is accepted.
public enum MaskGeneratorError: Error, Equatable, CustomStringConvertible {
    case unknownType(String)
    case duplicateType(String)
    case ratioOutOfRange(MaskType, Double)
    /// The ratios do not leave a non-negative identity share, or (identity given) do not total 1.
    case ratiosDoNotSumToOne(Double)
    /// A quarter type drawn for 2 or 3 frames: `randint(1, T // 4)` has an empty range (the reference raises).
    case tooFewFramesForQuarter(MaskType, frames: Int)
    case invalidShape(batch: Int, frames: Int)

    public var description: String {
        switch self {
        case .unknownType(let n):
            "unknown mask type '\(n)'; accepted: \(MaskType.allCases.map(\.rawValue).joined(separator: ", "))"
        case .duplicateType(let n): "mask type '\(n)' appears twice in mask_ratios"
        case .ratioOutOfRange(let t, let r): "mask_ratios[\"\(t.rawValue)\"] = \(r): accepted 0 ≤ ratio ≤ 1"
        case .ratiosDoNotSumToOne(let s):
            "mask_ratios sum to \(s): accepted a sum ≤ 1 without identity (identity takes the rest) or exactly 1 with it"
        case .tooFewFramesForQuarter(let t, let n):
            "mask type \(t.rawValue) needs at least 4 frames (randint(1, T // 4)), got \(n)"
        case .invalidShape(let b, let t): "mask batch \(b) × frames \(t): accepted batch ≥ 0 and frames ≥ 1"
        }
    }
}
