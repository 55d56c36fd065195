/// Input a data tool cannot work on, naming the value and what is accepted.
public enum DataToolError: Error, Equatable, CustomStringConvertible {
    case notAFolder(String)
    case missingColumn(csv: String, column: String, found: [String])
    case unreadableJournal(path: String, reason: String)
    case unknownCameraMotion(String, accepted: [String])
    case badTimestamp(String)
    case unsupportedMedia(String)

    public var description: String {
        switch self {
        case .notAFolder(let p): "\(p) is not a folder; accepted: an existing folder of media files"
        case .missingColumn(let c, let col, let found): "\(c) has no '\(col)' column (columns: \(found.joined(separator: ", ")))"
        case .unreadableJournal(let p, let r): "\(p): \(r); delete it to start over"
        case .unsupportedMedia(let p): "\(p): unsupported extension; accepted: \((MediaKind.videoExtensions + MediaKind.imageExtensions).joined(separator: ", "))"
        case .badTimestamp(let v): "scene \(v) is not a pair of 'HH:MM:SS.mmm' timecodes"
        case .unknownCameraMotion(let v, let a): "camera motion '\(v)' cannot go into a caption; accepted: \(a.joined(separator: ", ")) (filter the others first)"
        }
    }
}

extension MediaKind {
    /// The kind of `path`, or the typed error a data tool puts in the row's `error`.
    @discardableResult
    public static func require(_ path: String) throws -> MediaKind {
        guard let kind = MediaKind(path: path) else { throw DataToolError.unsupportedMedia(path) }
        return kind
    }
}
