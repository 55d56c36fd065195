// Reference: config_utils.py@v1.2.0 reads keys with `cfg.get` and silently ignores misspelt ones; here every
// key and value is checked, and each message names the key path and what it accepts.

/// A run configuration that cannot be used.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    /// A key the schema does not have at `path` (e.g. `optimizer.lrr`).
    case unknownKey(path: String, accepted: [String], hint: String?)
    /// A value of the wrong kind (`optimizer.lr: expected a number, got fast`).
    case typeMismatch(path: String, expected: String, found: String)
    /// A value of the right kind outside what is accepted (a name not in a list, a count below 1).
    case invalidValue(path: String, value: String, accepted: String)
    case missingKey(path: String)
    /// A `--set` argument that is not `key.path=value`.
    case malformedOverride(String)
    case yaml(source: String, message: String)
    case unknownPreset(String, accepted: [String])
    /// `base:` chains that loop or nest too deep.
    case baseChain([String])

    public var description: String {
        switch self {
        case .unknownKey(let path, let accepted, let hint):
            "unknown key '\(path)'" + (hint.map { " (did you mean '\($0)'?)" } ?? "") + "; accepted here: \(accepted.joined(separator: ", "))"
        case .typeMismatch(let path, let expected, let found): "\(path.isEmpty ? "config" : path): expected \(expected), got \(found)"
        case .invalidValue(let path, let value, let accepted): "\(path): \(value) is not accepted; expected \(accepted)"
        case .missingKey(let path): "\(path): required key is missing"
        case .malformedOverride(let text): "--set '\(text)': expected key.path=value (e.g. optimizer.lr=2e-5)"
        case .yaml(let source, let message): "\(source): not valid YAML: \(message)"
        case .unknownPreset(let name, let accepted): "unknown preset '\(name)'; accepted: \(accepted.joined(separator: ", "))"
        case .baseChain(let chain): "base: chain \(chain.joined(separator: " -> ")) loops or is deeper than 8"
        }
    }
}
