import OpenSora

/// Reads typed fields out of a JSON object; a wrong type is an `InvalidSetting` naming the field, the type
/// given and what is accepted. A null reads as absent (the default).
struct FieldReader {
    let body: [String: JSONValue]

    init(_ body: [String: JSONValue]) { self.body = body }

    private func value(_ field: String) -> JSONValue? {
        guard let v = body[field], v != .null else { return nil }
        return v
    }

    private func wrong(_ field: String, _ v: JSONValue, _ accepted: String) -> InvalidSetting {
        InvalidSetting(field: field, "\(field) is \(v.kind); accepted: \(accepted)")
    }

    func bool(_ field: String) throws -> Bool? {
        guard let v = value(field) else { return nil }
        guard case .bool(let b) = v else { throw wrong(field, v, "true or false") }
        return b
    }

    func string(_ field: String) throws -> String? {
        guard let v = value(field) else { return nil }
        guard case .string(let s) = v else { throw wrong(field, v, "a string") }
        return s
    }

    /// An integer in JSON (a whole number; no fraction, no string).
    func int(_ field: String) throws -> Int? {
        guard let v = value(field) else { return nil }
        switch v {
        case .integer(let i):
            guard let n = Int(exactly: i) else { throw InvalidSetting(field: field, "\(field) \(i) is out of range") }
            return n
        case .unsigned(let u): throw InvalidSetting(field: field, "\(field) \(u) is out of range")
        case .number(let d) where d.rounded() == d: throw InvalidSetting(field: field, "\(field) \(d) is out of range")
        case .number(let d): throw InvalidSetting(field: field, "\(field) \(d) is not a whole number; accepted: an integer")
        default: throw wrong(field, v, "an integer")
        }
    }

    func double(_ field: String) throws -> Double? {
        guard let v = value(field) else { return nil }
        switch v {
        case .integer(let i): return Double(i)
        case .unsigned(let u): return Double(u)
        case .number(let d): return d
        default: throw wrong(field, v, "a number")
        }
    }

    /// A seed: an integer 0 ... 2^64-1.
    func seed(_ field: String) throws -> UInt64? {
        guard let v = value(field) else { return nil }
        switch v {
        case .integer(let i):
            guard let s = UInt64(exactly: i) else { throw InvalidSetting(field: field, "\(field) \(i) is negative; accepted: 0...\(UInt64.max)") }
            return s
        case .unsigned(let u): return u
        default: throw wrong(field, v, "an integer 0...\(UInt64.max)")
        }
    }

    /// One of a closed set of names (resolution, aspect ratio, camera motion).
    func choice<T: RawRepresentable>(_ field: String, _ all: [T]) throws -> T? where T.RawValue == String {
        guard let text = try string(field) else { return nil }
        guard let c = T(rawValue: text) else {
            throw InvalidSetting(field: field, "\(field) '\(text.prefix(40))' is not accepted; accepted: \(all.map(\.rawValue).joined(separator: ", "))")
        }
        return c
    }

    /// `num_frames`: an integer, or a name ("4s", "2x") as the CLI takes it.
    func frames(_ field: String) throws -> Int? {
        if case .string(let name)? = value(field) {
            do { return try FrameCount.parse(name) } catch { throw InvalidSetting(field: field, "\(error)") }
        }
        return try int(field)
    }

    /// `duration`: a named length ("2s", "4s", "8s", "16s", "32s").
    func duration(_ field: String) throws -> Int? {
        guard let text = try string(field) else { return nil }
        let names = FrameCount.names.filter { $0.name.hasSuffix("s") }
        guard let match = names.first(where: { $0.name == text }) else {
            throw InvalidSetting(field: field, "\(field) '\(text.prefix(40))' is not accepted; accepted: \(names.map(\.name).joined(separator: ", "))")
        }
        return match.frames
    }

    /// `aes`: a number, or "none" to leave the score out of the prompt.
    func aesthetic(_ field: String) throws -> GenerationSettings.Aesthetic? {
        if case .string(let s)? = value(field) {
            guard s.lowercased() == "none" else { throw InvalidSetting(field: field, "\(field) '\(s.prefix(40))' is not accepted; accepted: a number or \"none\"") }
            return .omitted
        }
        return try double(field).map { .score($0) }
    }
}
