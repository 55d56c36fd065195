// YAML in and out through Yams (the mirrored YAML library, DESIGN.md): composed to nodes, not decoded, so the
// tree keeps key order and each scalar's text for the typed read.
import Yams

extension ConfigNode {
    /// Parses one YAML document; an empty document is `.null`. `source` names it in errors.
    public init(yaml text: String, source: String = "config") throws {
        let node: Yams.Node?
        do { node = try Yams.compose(yaml: text) } catch { throw ConfigError.yaml(source: source, message: "\(error)") }
        self = try node.map { try ConfigNode(yams: $0, source: source) } ?? .null
    }

    init(yams node: Yams.Node, source: String) throws {
        switch node {
        case .scalar(let s):
            let quoted = s.style == .singleQuoted || s.style == .doubleQuoted
            self = !quoted && ["", "~", "null", "Null", "NULL"].contains(s.string) ? .null : .scalar(s.string, quoted: quoted)
        case .sequence(let items):
            self = .list(try items.map { try ConfigNode(yams: $0, source: source) })
        case .mapping(let pairs):
            var out = [(key: String, value: ConfigNode)]()
            for (k, v) in pairs {
                guard case .scalar(let key) = k else { throw ConfigError.yaml(source: source, message: "a mapping key must be a scalar") }
                guard !out.contains(where: { $0.key == key.string }) else {
                    throw ConfigError.yaml(source: source, message: "key '\(key.string)' appears twice in one mapping")
                }
                out.append((key.string, try ConfigNode(yams: v, source: source)))
            }
            self = .map(out)
        }
    }

    var yamsNode: Yams.Node {
        switch self {
        case .null: return Yams.Node("null", Tag(.null), .plain)
        case .scalar(let s, let quoted): return Yams.Node(s, Tag(.implicit), quoted ? .doubleQuoted : .plain)
        case .list(let l): return .sequence(.init(l.map(\.yamsNode), Tag(.implicit), l.contains { !$0.isScalar } ? .block : .flow))
        case .map(let m): return .mapping(.init(m.map { (Yams.Node($0.key), $0.value.yamsNode) }))
        }
    }

    var isScalar: Bool { if case .map = self { false } else if case .list = self { false } else { true } }

    /// YAML text that reads back to this tree.
    public func yamlText() throws -> String { try Yams.serialize(node: yamsNode, sortKeys: false) }
}

extension ConfigNode {
    /// The tree of an Encodable value (through Yams' encoder, which keeps the coding order).
    static func encoding<T: Encodable>(_ value: T) throws -> ConfigNode {
        try ConfigNode(yaml: YAMLEncoder().encode(value), source: "\(T.self)")
    }

    /// The equivalent `ConfigLiteral` (what the bucket-config parser reads).
    var literal: ConfigLiteral {
        switch self {
        case .null: return .null
        case .scalar(let s, let quoted):
            if !quoted, Double(s) != nil { return .number(s) }
            if !quoted, ["true", "True"].contains(s) { return .bool(true) }
            if !quoted, ["false", "False"].contains(s) { return .bool(false) }
            return .string(s)
        case .list(let l): return .list(l.map(\.literal))
        case .map(let m): return .object(m.map { ($0.key, $0.value.literal) })
        }
    }
}
