// Reference: the bucket_config literals of configs/opensora-v1-2/train/*.py (Python dicts with int keys,
// tuples and None) and their JSON form in shared/fixtures/parity (training.bucket).
// Key order matters there (it breaks ties between resolutions of equal size), so objects keep it.

/// A parsed JSON or Python-literal value whose objects keep their key order.
public indirect enum ConfigLiteral: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's text as written, so integers of any size and exact float reprs survive.
    case number(String)
    case string(String)
    /// A JSON array or a Python list/tuple.
    case list([ConfigLiteral])
    /// Keys as written (an int key `51` and a string key `"51"` both read as "51"), in order.
    case object([(key: String, value: ConfigLiteral)])

    public static func == (a: ConfigLiteral, b: ConfigLiteral) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.list(let x), .list(let y)): x == y
        case (.object(let x), .object(let y)): x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        default: false
        }
    }

    public var isNull: Bool { if case .null = self { true } else { false } }

    /// An integer literal (no fraction or exponent) that fits an Int.
    public var intValue: Int? { if case .number(let t) = self, Self.isIntegerText(t) { Int(t) } else { nil } }

    /// An integer literal that fits a UInt64.
    public var uint64Value: UInt64? { if case .number(let t) = self, Self.isIntegerText(t) { UInt64(t) } else { nil } }

    /// Any number as a Double (correctly rounded, as Python's float()).
    public var doubleValue: Double? { if case .number(let t) = self { Double(t) } else { nil } }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var listValue: [ConfigLiteral]? { if case .list(let l) = self { l } else { nil } }
    public var objectValue: [(key: String, value: ConfigLiteral)]? { if case .object(let o) = self { o } else { nil } }

    /// The value of a key of an object (the first one written), or nil.
    public subscript(key: String) -> ConfigLiteral? {
        objectValue?.first(where: { $0.key == key })?.value
    }

    /// Whether a number's text is an integer literal (no fraction or exponent).
    public static func isIntegerText(_ t: String) -> Bool {
        !t.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
    }

    /// Python-ish rendering for error messages (`(0.5, 0.5)` prints as `[0.5, 0.5]`).
    public var literalText: String {
        switch self {
        case .null: "None"
        case .bool(let b): b ? "True" : "False"
        case .number(let t): t
        case .string(let s): "\"\(s)\""
        case .list(let l): "[" + l.map(\.literalText).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.map { "\($0.key): \($0.value.literalText)" }.joined(separator: ", ") + "}"
        }
    }
}
