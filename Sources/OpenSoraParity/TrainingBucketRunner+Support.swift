// Reference: shared/fixtures/parity/README.md (training.bucket): value forms of the fixture's JSON.
import OpenSoraTraining

extension TrainingBucketRunner {
    /// Counts passes per kind and keeps failures, each prefixed by the part of the fixture it came from.
    struct Checks {
        var passed = 0
        var counts = [String: Int]()
        var failures = [String]()
        var prefix = ""

        mutating func pass(_ kind: String) {
            passed += 1
            counts[kind, default: 0] += 1
        }

        mutating func fail(_ message: String, kind: String) {
            failures.append("\(prefix): \(message)")
        }

        mutating func require(_ ok: Bool, _ message: String, kind: String = "configs") {
            if ok { pass(kind) } else { fail(message, kind: kind) }
        }

        mutating func equal<T: Equatable>(_ got: T, _ want: T?, _ what: String, kind: String = "configs") {
            if let want, got == want { pass(kind) } else { fail("\(what): got \(got), want \(want.map { "\($0)" } ?? "nothing")", kind: kind) }
        }

        /// Runs one part; an error thrown there is that part's failure.
        mutating func scope(_ name: String, _ body: (inout Checks) throws -> Void) {
            let outer = prefix
            prefix = name
            do { try body(&self) } catch { failures.append("\(name): \(error)") }
            prefix = outer
        }
    }

    func need<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw ParityError.malformed("training.bucket", "missing or malformed \(what)") }
        return value
    }

    func int(_ object: ConfigLiteral, _ key: String) throws -> Int { try need(object[key]?.intValue, key) }
    func double(_ object: ConfigLiteral, _ key: String) throws -> Double { try need(object[key]?.doubleValue, key) }

    static func idText(_ id: BucketID) -> String { "[\"\(id.resolution)\", \(id.frameCount), \"\(id.aspectRatioKey)\"]" }

    /// The fixture's bucket id (`[resolution, T, key]` or null) in the same form.
    static func idText(_ value: ConfigLiteral?) -> String {
        guard let l = value?.listValue, l.count == 3 else { return value?.isNull == true ? "None" : "malformed \(value?.literalText ?? "nothing")" }
        return "[\(l[0].canonicalText), \(l[1].canonicalText), \(l[2].canonicalText)]"
    }

    static func keepText(_ k: KeepProbability) -> String {
        switch k {
        case .single(let p): floatText(p)
        case .split(let r, let f): "[\(floatText(r)), \(floatText(f))]"
        }
    }

    static func keepText(_ value: ConfigLiteral?) -> String {
        if let p = value?.doubleValue { return floatText(p) }
        return "[" + (value?.listValue ?? []).map { $0.doubleValue.map(floatText) ?? "?" }.joined(separator: ", ") + "]"
    }

    /// A float by its bits, so equal text means bit-identical.
    static func floatText(_ x: Double) -> String { String(x.bitPattern, radix: 16) }

    static func bits(_ value: ConfigLiteral?) -> String {
        (value?.listValue ?? []).map { $0.doubleValue.map(floatText) ?? "?" }.joined(separator: ",")
    }
}

extension ConfigLiteral {
    /// A canonical text for comparing helper results: floats by bits, integers as written, strings quoted.
    var canonicalText: String {
        switch self {
        case .number(let t): ConfigLiteral.isIntegerText(t) ? t : (doubleValue.map(TrainingBucketRunner.floatText) ?? t)
        case .list(let l): "[" + l.map(\.canonicalText).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.map { "\($0.key): \($0.value.canonicalText)" }.joined(separator: ", ") + "}"
        default: literalText
        }
    }
}
