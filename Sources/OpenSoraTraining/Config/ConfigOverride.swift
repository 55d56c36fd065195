import Foundation

// Reference: config_utils.py@v1.2.0 `merge_args` (a flag overwrites the key of the same name); here any key,
// nested ones by dotted path: `--set optimizer.lr=2e-5`, `--set bucket_config.144p.51=[1.0, 20]`.

/// One `--set key.path=value`; the value is YAML (a scalar, `[a, b]`, `{k: v}`), typed later by the key it lands on.
public struct ConfigOverride: Equatable, Sendable {
    public let path: [String]
    public let value: ConfigNode

    public init(path: [String], value: ConfigNode) {
        self.path = path
        self.value = value
    }

    public init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "=") else { throw ConfigError.malformedOverride(text) }
        let key = text[..<eq].trimmingCharacters(in: .whitespaces)
        let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !key.isEmpty, !path.contains(where: \.isEmpty) else { throw ConfigError.malformedOverride(text) }
        let raw = String(text[text.index(after: eq)...])
        do {
            value = try ConfigNode(yaml: raw, source: "--set \(key)")
        } catch {
            throw ConfigError.malformedOverride(text)
        }
        self.path = path
    }

    public var keyPath: String { path.joined(separator: ".") }
}

extension ConfigNode {
    /// The tree with every override applied in order.
    public func applying(_ overrides: [ConfigOverride]) throws -> ConfigNode {
        try overrides.reduce(self) { try $0.setting($1.path, to: $1.value) }
    }
}
