// The reference aborts training on the first unreadable file (spec/training.md §3.4); a failure here is
// skipped, warned about and counted instead.

/// Why one row could not become a sample.
public struct SampleFailure: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Hashable, Sendable {
        case missingFile
        case unsupportedFormat(String)
        case corrupt(String)
        /// Fewer decoded frames than the bucket's frame count.
        case tooShort(frames: Int, needed: Int)

        /// The reason's category, the key `DatasetReport.counts` uses.
        public var category: String {
            switch self {
            case .missingFile: "missing"
            case .unsupportedFormat: "unsupported"
            case .corrupt: "corrupt"
            case .tooShort: "too short"
            }
        }
    }

    public var row: Int
    public var path: String
    public var reason: Reason

    public init(row: Int, path: String, reason: Reason) {
        self.row = row
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .missingFile: "row \(row): \(path): no such file; skipped"
        case .unsupportedFormat(let ext):
            "row \(row): \(path): unsupported extension '\(ext)' (accepted: \((MediaKind.videoExtensions + MediaKind.imageExtensions).joined(separator: ", "))); skipped"
        case .corrupt(let why): "row \(row): \(path): cannot decode (\(why)); skipped"
        case .tooShort(let n, let k): "row \(row): \(path): \(n) frames, the bucket needs \(k); skipped"
        }
    }
}
