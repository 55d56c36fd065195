// Reference: Python html.unescape and BeautifulSoup(…, "html.parser").text, as clean_caption uses them.
import Foundation

/// The text content of a caption that may hold HTML, as BeautifulSoup's html.parser tree builder
/// gives it (HTMLTextParser), and Python's html.unescape.
enum HTMLText {
    /// BeautifulSoup(s, "html.parser").text; text without `<`/`&` only meets endData's space rule.
    static func text(of s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x3C || $0 == 0x26 }) else {
            guard !s.isEmpty, s.unicodeScalars.allSatisfy(SoupTextBuilder.isASCIISpace) else { return s }
            return s.unicodeScalars.contains("\n") ? "\n" : " "
        }
        return HTMLTextParser.text(of: s)
    }

    /// html.unescape: named references by the HTML5 table (longest known prefix when the whole name
    /// is unknown), decimal and hexadecimal references with the standard's replacements.
    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        let r = PromptCleaner.regex(#"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)"#)
        var out = "", last = s.startIndex
        for m in r.matches(in: s) {
            guard let range = Range(m.range, in: s), let body = Range(m.range(at: 1), in: s) else { continue }
            out += s[last..<range.lowerBound]
            last = range.upperBound
            out += replacement(of: String(s[body]))
        }
        out += s[last...]
        return out
    }

    private static func replacement(of ref: String) -> String {
        if ref.hasPrefix("#") {
            var digits = ref.dropFirst()
            if digits.last == ";" { digits.removeLast() }
            let hex = digits.first == "x" || digits.first == "X"
            // Python's int() has no limit; anything past UInt32 is above U+10FFFF all the same.
            let value = UInt32(hex ? digits.dropFirst() : digits, radix: hex ? 16 : 10) ?? UInt32.max
            if let mapped = windows1252References[value] { return mapped }
            if (0xD800...0xDFFF).contains(value) || value > 0x10FFFF { return "\u{FFFD}" }
            if isInvalidCodePoint(value) { return "" }
            return Unicode.Scalar(value).map { String($0) } ?? "\u{FFFD}"
        }
        if let whole = html5Entities[ref] { return whole }
        let chars = Array(ref)
        for length in stride(from: chars.count - 1, to: 1, by: -1) {
            if let prefix = html5Entities[String(chars[..<length])] { return prefix + String(chars[length...]) }
        }
        return "&" + ref
    }

    /// References the standard replaces (NUL, CR, and 0x80–0x9F read as Windows-1252).
    static let windows1252References: [UInt32: String] = [
        0x00: "\u{FFFD}", 0x0D: "\r", 0x80: "\u{20AC}", 0x81: "\u{81}", 0x82: "\u{201A}", 0x83: "\u{192}",
        0x84: "\u{201E}", 0x85: "\u{2026}", 0x86: "\u{2020}", 0x87: "\u{2021}", 0x88: "\u{2C6}", 0x89: "\u{2030}",
        0x8A: "\u{160}", 0x8B: "\u{2039}", 0x8C: "\u{152}", 0x8D: "\u{8D}", 0x8E: "\u{17D}", 0x8F: "\u{8F}",
        0x90: "\u{90}", 0x91: "\u{2018}", 0x92: "\u{2019}", 0x93: "\u{201C}", 0x94: "\u{201D}", 0x95: "\u{2022}",
        0x96: "\u{2013}", 0x97: "\u{2014}", 0x98: "\u{2DC}", 0x99: "\u{2122}", 0x9A: "\u{161}", 0x9B: "\u{203A}",
        0x9C: "\u{153}", 0x9D: "\u{9D}", 0x9E: "\u{17E}", 0x9F: "\u{178}",
    ]

    /// Code points a reference may not produce: controls, U+FDD0–U+FDEF and each plane's last two.
    static func isInvalidCodePoint(_ v: UInt32) -> Bool {
        (0x01...0x08).contains(v) || v == 0x0B || (0x0E...0x1F).contains(v) || (0x7F...0x9F).contains(v)
            || (0xFDD0...0xFDEF).contains(v) || (v & 0xFFFE) == 0xFFFE
    }
}
