// Reference: what pandas and VariableVideoTextDataset raise on a bad table (KeyError on a missing column,
// a failed bucket lookup on a non-numeric size); the reference has no "every row failed" case: it aborts
// on the first bad file, where we skip and count.

/// A training table or dataset that cannot be used, naming the value and what is accepted.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case missingColumn(String, source: String, found: [String])
    case invalidValue(source: String, line: Int, column: String, value: String, expected: String)
    case empty(source: String)
    /// Every row of the dataset failed to read, with the report of why.
    case noReadableRows(DatasetReport)
    /// A precomputed-feature folder (`opensora train extract`) that is missing, unfinished or inconsistent.
    case featureCache(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let r): "cannot read dataset table \(p): \(r)"
        case .missingColumn(let c, let s, let found):
            "\(s): missing column '\(c)' (required: path, text, num_frames, height, width; found: \(found.joined(separator: ", ")))"
        case .invalidValue(let s, let l, let c, let v, let e): "\(s):\(l): column \(c) = '\(v)', expected \(e)"
        case .empty(let s): "\(s): no data rows"
        case .noReadableRows(let r): "every row of the dataset failed to read: \(r)"
        case .featureCache(let p, let r): "feature cache \(p): \(r)"
        }
    }
}
