// Strict Decodable over a ConfigNode: the reference's `cfg.get` ignores unknown keys, so a typo silently runs
// with a default; here a key outside a type's `CodingKeys` (when they are `StrictCodingKey`) is an error.

/// Coding keys whose cases are the only keys a mapping may hold.
public protocol StrictCodingKey: CodingKey, CaseIterable {}

extension StrictCodingKey {
    static var acceptedNames: [String] { allCases.map(\.stringValue) }
}

/// A key path as written in the config (`optimizer.betas[1]`).
func configPath(_ codingPath: [CodingKey]) -> String {
    codingPath.reduce(into: "") { out, key in
        if let i = key.intValue, key.stringValue == "\(i)", key is ConfigIndexKey { out += "[\(i)]" } else {
            out += (out.isEmpty ? "" : ".") + key.stringValue
        }
    }
}

struct ConfigIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ i: Int) { stringValue = "\(i)"; intValue = i }
    init?(stringValue: String) { self.stringValue = stringValue; intValue = Int(stringValue) }
    init?(intValue: Int) { self.init(intValue) }
}

/// A free-form mapping key (bucket tables, mask ratios).
public struct ConfigKey: CodingKey, Hashable {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ s: String) { stringValue = s }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { stringValue = "\(intValue)" }
}

struct ConfigNodeDecoder: Decoder {
    let node: ConfigNode
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var path: String { configPath(codingPath) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard let entries = node.entries else { throw ConfigError.typeMismatch(path: path, expected: "a mapping", found: node.summary) }
        if let strict = Key.self as? any StrictCodingKey.Type {
            let accepted = strict.acceptedNames
            for (key, _) in entries where !accepted.contains(key) {
                let full = configPath(codingPath + [ConfigKey(key)])
                throw ConfigError.unknownKey(path: full, accepted: accepted, hint: ConfigSpelling.closest(to: key, in: accepted))
            }
        }
        return KeyedDecodingContainer(Keyed<Key>(entries: entries, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .list(let items) = node else { throw ConfigError.typeMismatch(path: path, expected: "a list", found: node.summary) }
        return Unkeyed(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { Single(node: node, codingPath: codingPath) }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let entries: [(key: String, value: ConfigNode)]
        let codingPath: [CodingKey]
        var allKeys: [Key] { entries.compactMap { Key(stringValue: $0.key) } }

        func contains(_ key: Key) -> Bool { entries.contains { $0.key == key.stringValue } }

        func node(_ key: Key) throws -> ConfigNode {
            guard let n = entries.first(where: { $0.key == key.stringValue })?.value else {
                throw ConfigError.missingKey(path: configPath(codingPath + [key]))
            }
            return n
        }

        func decodeNil(forKey key: Key) throws -> Bool { try node(key) == .null }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let n = try node(key)
            if T.self == ConfigNode.self, let n = n as? T { return n }
            return try T(from: ConfigNodeDecoder(node: n, codingPath: codingPath + [key]))
        }

        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
            try ConfigNodeDecoder(node: node(key), codingPath: codingPath + [key]).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
            try ConfigNodeDecoder(node: node(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        func superDecoder() throws -> Decoder { ConfigNodeDecoder(node: .map(entries), codingPath: codingPath) }
        func superDecoder(forKey key: Key) throws -> Decoder { ConfigNodeDecoder(node: try node(key), codingPath: codingPath + [key]) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let items: [ConfigNode]
        let codingPath: [CodingKey]
        var currentIndex = 0
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        mutating func next() throws -> (ConfigNode, [CodingKey]) {
            let path = codingPath + [ConfigIndexKey(currentIndex)]
            guard !isAtEnd else { throw ConfigError.typeMismatch(path: configPath(codingPath), expected: "more items", found: "\(items.count)") }
            defer { currentIndex += 1 }
            return (items[currentIndex], path)
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, items[currentIndex] == .null else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (n, path) = try next()
            if T.self == ConfigNode.self, let n = n as? T { return n }
            return try T(from: ConfigNodeDecoder(node: n, codingPath: path))
        }

        mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
            let (n, path) = try next()
            return try ConfigNodeDecoder(node: n, codingPath: path).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
            let (n, path) = try next()
            return try ConfigNodeDecoder(node: n, codingPath: path).unkeyedContainer()
        }

        mutating func superDecoder() throws -> Decoder {
            let (n, path) = try next()
            return ConfigNodeDecoder(node: n, codingPath: path)
        }
    }

    /// Scalars are read by the type asked for: Int and Double from their decimal text, Bool from
    /// true/false (and Python's True/False, YAML's yes/no), String from any scalar.
    struct Single: SingleValueDecodingContainer {
        let node: ConfigNode
        let codingPath: [CodingKey]
        var path: String { configPath(codingPath) }

        func decodeNil() -> Bool { node == .null }

        func text(_ expected: String) throws -> String {
            guard case .scalar(let s, _) = node else { throw ConfigError.typeMismatch(path: path, expected: expected, found: node.summary) }
            return s
        }

        func decode(_ type: Bool.Type) throws -> Bool {
            switch try text("true or false") {
            case "true", "True", "yes": return true
            case "false", "False", "no": return false
            default: throw ConfigError.typeMismatch(path: path, expected: "true or false", found: node.summary)
            }
        }

        func decode(_ type: String.Type) throws -> String { try text("a string") }

        func number<T: LosslessStringConvertible>(_ expected: String) throws -> T {
            let s = try text(expected).replacingOccurrences(of: "_", with: "")
            guard let v = T(s) else { throw ConfigError.typeMismatch(path: path, expected: expected, found: node.summary) }
            return v
        }

        func decode(_ type: Double.Type) throws -> Double {
            let v: Double = try number("a number")
            guard v.isFinite else { throw ConfigError.typeMismatch(path: path, expected: "a finite number", found: node.summary) }
            return v
        }

        func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
        func decode(_ type: Int.Type) throws -> Int { try number("an integer") }
        func decode(_ type: Int8.Type) throws -> Int8 { try number("an integer") }
        func decode(_ type: Int16.Type) throws -> Int16 { try number("an integer") }
        func decode(_ type: Int32.Type) throws -> Int32 { try number("an integer") }
        func decode(_ type: Int64.Type) throws -> Int64 { try number("an integer") }
        func decode(_ type: UInt.Type) throws -> UInt { try number("an integer ≥ 0") }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try number("an integer ≥ 0") }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try number("an integer ≥ 0") }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try number("an integer ≥ 0") }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try number("an integer ≥ 0") }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            if T.self == ConfigNode.self, let n = node as? T { return n }
            return try T(from: ConfigNodeDecoder(node: node, codingPath: codingPath))
        }
    }
}

extension Decoder {
    /// The config path of this value (for errors thrown by a type's own checks).
    var configKeyPath: String { configPath(codingPath) }
}

/// Suggestions for misspelt keys.
enum ConfigSpelling {
    /// The accepted name nearest to `key` (edit distance ≤ 2), or nil.
    static func closest(to key: String, in accepted: [String]) -> String? {
        let best = accepted.map { ($0, distance(Array(key), Array($0))) }.min { $0.1 < $1.1 }
        return best.flatMap { $0.1 <= 2 ? $0.0 : nil }
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let old = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = old
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
