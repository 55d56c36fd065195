import Foundation

/// One `Range: bytes=…` of a file (RFC 9110 §14): `a-b`, `a-` or the last `-n` bytes, so a browser can seek.
struct ByteRange: Equatable {
    let lowerBound: Int
    let upperBound: Int  // inclusive

    var count: Int { upperBound - lowerBound + 1 }

    /// How a Range header reads against a file of `length` bytes.
    enum Outcome: Equatable {
        /// No header, or one this server does not serve partially (several ranges, another unit): send it all.
        case whole
        case partial(ByteRange)
        /// No byte of the file is in the range: 416.
        case unsatisfiable
    }

    static func parse(_ header: String?, length: Int) -> Outcome {
        guard let header else { return .whole }
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("bytes="), !text.contains(",") else { return .whole }
        let spec = text.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .whole }
        let first = parts[0].trimmingCharacters(in: .whitespaces), last = parts[1].trimmingCharacters(in: .whitespaces)
        let digits = { (s: String) in !s.isEmpty && s.utf8.count <= 18 && s.allSatisfy(\.isASCIIDigitCharacter) }
        if first.isEmpty {
            guard digits(last), let n = Int(last) else { return .whole }
            guard n > 0, length > 0 else { return .unsatisfiable }
            return .partial(ByteRange(lowerBound: max(0, length - n), upperBound: length - 1))
        }
        guard digits(first), let start = Int(first) else { return .whole }
        guard start < length else { return .unsatisfiable }
        if last.isEmpty { return .partial(ByteRange(lowerBound: start, upperBound: length - 1)) }
        guard digits(last), let end = Int(last) else { return .whole }
        guard end >= start else { return .whole }  // invalid syntax: ignored, per RFC 9110
        return .partial(ByteRange(lowerBound: start, upperBound: min(end, length - 1)))
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
