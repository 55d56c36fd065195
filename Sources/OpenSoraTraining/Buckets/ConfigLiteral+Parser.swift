// Reference: RFC 8259 (JSON) plus the Python literal forms the reference configs use: tuples, None,
// True/False, single quotes, bare int keys, trailing commas and # comments.

/// A literal that does not parse: where, and what was expected.
public struct ConfigLiteralError: Error, Equatable, CustomStringConvertible {
    public let offset: Int
    public let message: String
    public var description: String { "config literal, character \(offset): \(message)" }
}

extension ConfigLiteral {
    /// Parses one value; only whitespace and comments may follow it.
    public init(parsing text: String) throws {
        var parser = Parser(Array(text.unicodeScalars))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.atEnd else { throw parser.error("unexpected '\(parser.peek.map(String.init) ?? "")' after the value") }
        self = value
    }

    struct Parser {
        let s: [Unicode.Scalar]
        var i = 0

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var atEnd: Bool { i >= s.count }
        var peek: Unicode.Scalar? { atEnd ? nil : s[i] }

        func error(_ message: String) -> ConfigLiteralError { ConfigLiteralError(offset: i, message: message) }

        mutating func skipSpace() {
            while let c = peek {
                if c == "#" {
                    while let d = peek, d != "\n" { _ = d; i += 1 }
                } else if c == " " || c == "\t" || c == "\n" || c == "\r" {
                    i += 1
                } else {
                    return
                }
            }
        }

        mutating func value() throws -> ConfigLiteral {
            skipSpace()
            guard let c = peek else { throw error("expected a value, found the end") }
            switch c {
            case "{": return try object()
            case "[": return .list(try sequence(close: "]"))
            case "(": return .list(try sequence(close: ")"))
            case "\"", "'": return .string(try string())
            case "-", "+", "0"..."9", ".": return try number()
            default: return try word()
            }
        }

        mutating func object() throws -> ConfigLiteral {
            i += 1
            var entries = [(key: String, value: ConfigLiteral)]()
            while true {
                skipSpace()
                if peek == "}" { i += 1; return .object(entries) }
                let key: String
                switch try value() {
                case .string(let k), .number(let k): key = k
                case let other: throw error("object key must be a string or a number, got \(other.literalText)")
                }
                skipSpace()
                guard peek == ":" else { throw error("expected ':' after key \(key)") }
                i += 1
                entries.append((key, try value()))
                skipSpace()
                if peek == "," { i += 1; continue }
                guard peek == "}" else { throw error("expected ',' or '}' in an object") }
            }
        }

        mutating func sequence(close: Unicode.Scalar) throws -> [ConfigLiteral] {
            i += 1
            var items = [ConfigLiteral]()
            while true {
                skipSpace()
                if peek == close { i += 1; return items }
                items.append(try value())
                skipSpace()
                if peek == "," { i += 1; continue }
                guard peek == close else { throw error("expected ',' or '\(close)' in a list") }
            }
        }

        mutating func string() throws -> String {
            let quote = s[i]
            i += 1
            var out = String.UnicodeScalarView()
            while let c = peek {
                i += 1
                if c == quote { return String(out) }
                guard c == "\\" else { out.append(c); continue }
                guard let e = peek else { break }
                i += 1
                switch e {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "u":
                    guard i + 4 <= s.count, let v = UInt32(String(String.UnicodeScalarView(s[i..<i + 4])), radix: 16),
                          let scalar = Unicode.Scalar(v)
                    else { throw error("bad \\u escape") }
                    i += 4
                    out.append(scalar)
                default: out.append(e)
                }
            }
            throw error("unterminated string")
        }

        mutating func number() throws -> ConfigLiteral {
            let start = i
            while let c = peek, "+-.eE0123456789".unicodeScalars.contains(c) { i += 1 }
            var text = String(String.UnicodeScalarView(s[start..<i]))
            if text.hasPrefix("+") { text.removeFirst() }
            guard Double(text) != nil else { throw ConfigLiteralError(offset: start, message: "bad number '\(text)'") }
            return .number(text)
        }

        mutating func word() throws -> ConfigLiteral {
            let start = i
            while let c = peek, c.properties.isAlphabetic || c == "_" { i += 1 }
            switch String(String.UnicodeScalarView(s[start..<i])) {
            case "null", "None": return .null
            case "true", "True": return .bool(true)
            case "false", "False": return .bool(false)
            case let w: throw ConfigLiteralError(offset: start, message: "unexpected '\(w.isEmpty ? String(s[start]) : w)'")
            }
        }
    }
}
