import Foundation

/// A job's id: a UUID the server made. Parsing is the only way from a request to an id, so a path-like or
/// malformed id never reaches the database or the file system.
public struct VideoJobID: Hashable, Sendable, CustomStringConvertible, Codable {
    public let uuid: UUID

    public init() { uuid = UUID() }

    /// nil unless `text` is exactly a UUID in its 36-character form (case-insensitive).
    public init?(_ text: String) {
        guard text.utf8.count == 36, let uuid = UUID(uuidString: text) else { return nil }
        self.uuid = uuid
    }

    /// Lower-case, as stored and as folder names are made.
    public var description: String { uuid.uuidString.lowercased() }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = VideoJobID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text.prefix(40))' is not a job id (a UUID)"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
