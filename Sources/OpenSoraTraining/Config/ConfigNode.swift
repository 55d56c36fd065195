// Reference: the MMEngine config dicts of configs/opensora-v1-2/train/*.py@v1.2.0 (nested dicts merged key by
// key, `_base_` style) and config_utils.py's `merge_args`; spec/surfaces.md §1.

/// A run configuration before it is typed: YAML's tree with mapping order kept and scalars as their text,
/// so each key's type decides how its text is read (`2e-5` is a number for `optimizer.lr`, a name for `outputs`).
public indirect enum ConfigNode: Equatable, Sendable {
    /// `null`, `~` or an empty value.
    case null
    /// A scalar's text; `quoted` scalars are never read as null.
    case scalar(String, quoted: Bool)
    case list([ConfigNode])
    /// Keys in the order written.
    case map([(key: String, value: ConfigNode)])

    public static func == (a: ConfigNode, b: ConfigNode) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.scalar(let x, _), .scalar(let y, _)): x == y
        case (.list(let x), .list(let y)): x == y
        case (.map(let x), .map(let y)): x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        default: false
        }
    }

    public static func plain(_ text: String) -> ConfigNode { .scalar(text, quoted: false) }

    public var entries: [(key: String, value: ConfigNode)]? { if case .map(let m) = self { m } else { nil } }

    public subscript(key: String) -> ConfigNode? { entries?.first(where: { $0.key == key })?.value }

    /// A short rendering for error messages.
    public var summary: String {
        switch self {
        case .null: "null"
        case .scalar(let s, let quoted): quoted ? "\"\(s)\"" : s
        case .list(let l): "[" + l.map(\.summary).joined(separator: ", ") + "]"
        case .map(let m): "{" + m.map { "\($0.key): \($0.value.summary)" }.joined(separator: ", ") + "}"
        }
    }

    /// The same mapping without `key`.
    public func removing(_ key: String) -> ConfigNode {
        guard let m = entries else { return self }
        return .map(m.filter { $0.key != key })
    }

    /// `other` laid over `self`: mappings merge key by key (new keys appended), anything else is replaced;
    /// keys in `wholeValues` (top level only) replace as one value, as a bucket table or mask ratios must.
    public func merged(with other: ConfigNode, wholeValues: Set<String> = []) -> ConfigNode {
        guard var mine = entries, let theirs = other.entries else { return other }
        for (key, value) in theirs {
            if let i = mine.firstIndex(where: { $0.key == key }) {
                mine[i].value = wholeValues.contains(key) ? value : mine[i].value.merged(with: value)
            } else {
                mine.append((key, value))
            }
        }
        return .map(mine)
    }

    /// Sets the value at a dotted key path, creating mappings on the way; a path through a non-mapping
    /// is an error naming where it stopped.
    public func setting(_ path: [String], to value: ConfigNode, walked: [String] = []) throws -> ConfigNode {
        guard let key = path.first else { return value }
        var mine: [(key: String, value: ConfigNode)]
        switch self {
        case .map(let m): mine = m
        case .null: mine = []
        default:
            throw ConfigError.typeMismatch(path: walked.joined(separator: "."), expected: "a mapping to hold '\(key)'", found: summary)
        }
        let rest = Array(path.dropFirst())
        if let i = mine.firstIndex(where: { $0.key == key }) {
            mine[i].value = try mine[i].value.setting(rest, to: value, walked: walked + [key])
        } else {
            mine.append((key, try ConfigNode.null.setting(rest, to: value, walked: walked + [key])))
        }
        return .map(mine)
    }

    /// Adds `key: null` for each key of `defaults` this mapping lacks (recursively), so an encoded nil
    /// (which Codable leaves out) does not read back as the default.
    public func nullFilled(from defaults: ConfigNode) -> ConfigNode {
        guard var mine = entries, let theirs = defaults.entries else { return self }
        for (key, value) in theirs {
            if let i = mine.firstIndex(where: { $0.key == key }) {
                mine[i].value = mine[i].value.nullFilled(from: value)
            } else {
                mine.append((key, .null))
            }
        }
        return .map(mine)
    }
}
