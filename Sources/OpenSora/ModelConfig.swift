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
        let merged = defaults.merging(given) { _, new in new }
        do {
            return try JSONDecoder().decode(Self.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch {
            throw OpenSoraError.invalidConfiguration("\(Self.self): \(error)")
        }
    }

    /// Decodes JSON text over the defaults.
    public static func decode(json data: Data) throws -> Self {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw OpenSoraError.invalidConfiguration("\(Self.self): the configuration is not a JSON object")
        }
        return try decode(object)
    }
}
