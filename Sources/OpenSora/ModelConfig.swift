import Foundation

/// A model configuration read from the reference's JSON (a checkpoint's config.json or a fixture):
/// keys the JSON omits keep the defaults of `init()`, keys this project does not use are ignored.
public protocol ModelConfig: Codable, Equatable, Sendable {
    init()
}

extension ModelConfig {
    /// Decodes `object` (a JSON object) over the defaults.
    public static func decode(_ object: [String: Any]) throws -> Self {
        guard let defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self())) as? [String: Any] else {
            throw OpenSoraError.invalidConfiguration("\(Self.self): defaults do not encode to a JSON object")
        }
        let given = object.filter { !($0.value is NSNull) }
        do {
            return try merged(defaults, given)
        } catch {
            // Name the key: the first given value that fails on its own over the defaults.
            for key in given.keys.sorted() where (try? merged(defaults, [key: given[key]!])) == nil {
                throw OpenSoraError.invalidConfiguration("\(Self.self): key '\(key)' has value \(given[key]!), which does not fit (\(error))")
            }
            throw OpenSoraError.invalidConfiguration("\(Self.self): \(error)")
        }
    }

    static func merged(_ defaults: [String: Any], _ given: [String: Any]) throws -> Self {
        let object = defaults.merging(given) { _, new in new }
        return try JSONDecoder().decode(Self.self, from: JSONSerialization.data(withJSONObject: object))
    }

    /// Decodes JSON text over the defaults.
    public static func decode(json data: Data) throws -> Self {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw OpenSoraError.invalidConfiguration("\(Self.self): the configuration is not a JSON object")
        }
        return try decode(object)
    }
}
