// Reference: ftfy 6.3.1 (ftfy/__init__.py fix_text, fix_and_explain; ftfy/fixes.py; ftfy/chardata.py).
import Foundation

/// ftfy.fix_text with its default configuration, minus fix_encoding's mojibake repair (its badness
/// heuristics and single-byte re-decoding are not ported; text it would re-decode stays as it is).
enum TextFixer {
    /// fix_text: line by line (each segment ends after a "\n"; at most 10^6 code points); from the first
    /// segment holding "<" on, HTML is no longer unescaped (`unescape_html="auto"` is switched off).
    static func fixText(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = ScalarBuffer(capacity: text.utf8.count)
        var unescape = true
        var pos = 0
        while pos < scalars.count {
            var end = pos
            while end < scalars.count, end - pos < 1_000_000 {
                end += 1
                if scalars[end - 1] == "\n" { break }
            }
            let segment = scalars[pos..<end]
            if unescape, segment.contains("<") { unescape = false }
            out.append(fixSegment(String(String.UnicodeScalarView(segment)), unescapeHTML: unescape))
            pos = end
        }
        return out.string
    }

    /// fix_and_explain: the fixers in ftfy's order, repeated until nothing changes.
    static func fixSegment(_ segment: String, unescapeHTML: Bool) -> String {
        var text = segment
        while true {
            let original = text
            if unescapeHTML { text = FtfyEntities.unescape(text) }
            text = characterFixes(text)
            text = removingTerminalEscapes(text)
            text = removingControlCharacters(text).precomposedStringWithCanonicalMapping
            if text == original { return text }
        }
    }

    /// fix_c1_controls (C1 as sloppy-windows-1252), fix_latin_ligatures, fix_character_width,
    /// uncurl_quotes and fix_line_breaks, which map code points one by one in that order.
    static func characterFixes(_ text: String) -> String {
        var out = ScalarBuffer(capacity: text.utf8.count)
        var afterCR = false
        for u in text.unicodeScalars {
            if u.value < 0x80 {  // ASCII meets only the line-break rule
                appendBreakFixed(u, &out, &afterCR)
                continue
            }
            var mapped = String(u)
            if (0x80...0x9F).contains(u.value), let w = HTMLText.windows1252References[u.value] { mapped = w }
            for m in mapped.unicodeScalars {
                for l in (ligatures[m.value] ?? String(m)).unicodeScalars {
                    for w in width(l).unicodeScalars { appendBreakFixed(uncurled(w), &out, &afterCR) }
                }
            }
        }
        return out.string
    }

    /// fix_line_breaks: "\r\n" → "\n", then "\r", U+2028, U+2029 and U+0085 → "\n".
    private static func appendBreakFixed(_ u: Unicode.Scalar, _ out: inout ScalarBuffer, _ afterCR: inout Bool) {
        if u == "\n", afterCR {
            afterCR = false
            return
        }
        afterCR = u == "\r"
        out.append(u == "\r" || u == "\u{2028}" || u == "\u{2029}" || u == "\u{85}" ? "\n" : u)
    }

    /// chardata.LIGATURES.
    static let ligatures: [UInt32: String] = [
        0x132: "IJ", 0x133: "ij", 0x149: "\u{2BC}n", 0x1F1: "DZ", 0x1F2: "Dz", 0x1F3: "dz", 0x1C4: "D\u{17D}",
        0x1C5: "D\u{17E}", 0x1C6: "d\u{17E}", 0x1C7: "LJ", 0x1C8: "Lj", 0x1C9: "lj", 0x1CA: "NJ", 0x1CB: "Nj",
        0x1CC: "nj", 0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "\u{17F}t", 0xFB06: "st",
    ]

    /// chardata.WIDTH_MAP: U+3000 → space, U+FF01–U+FFEF → their NFKC form where it differs.
    static let widthMap: [UInt32: String] = {
        var map: [UInt32: String] = [0x3000: " "]
        for v in UInt32(0xFF01)..<0xFFF0 {
            guard let u = Unicode.Scalar(v) else { continue }
            let alternate = String(u).precomposedStringWithCompatibilityMapping
            if alternate != String(u) { map[v] = alternate }
        }
        return map
    }()

    private static func width(_ u: Unicode.Scalar) -> String {
        u.value == 0x3000 || (0xFF01...0xFFEF).contains(u.value) ? widthMap[u.value] ?? String(u) : String(u)
    }

    /// uncurl_quotes: [\u02bc\u2018-\u201b] → "'", [\u201c-\u201f] → '"'.
    private static func uncurled(_ u: Unicode.Scalar) -> Unicode.Scalar {
        switch u.value {
        case 0x2BC, 0x2018...0x201B: return "'"
        case 0x201C...0x201F: return "\""
        default: return u
        }
    }

    /// remove_terminal_escapes: ANSI_RE = \033\[((?:\d|;)*)([a-zA-Z]) removed (\d: any decimal digit).
    static func removingTerminalEscapes(_ text: String) -> String {
        guard text.unicodeScalars.contains("\u{1B}") else { return text }
        let s = Array(text.unicodeScalars)
        var out = ScalarBuffer(capacity: text.utf8.count)
        var i = 0
        while i < s.count {
            if s[i] == "\u{1B}", i + 1 < s.count, s[i + 1] == "[" {
                var j = i + 2
                while j < s.count, s[j] == ";" || s[j].properties.numericType == .decimal { j += 1 }
                if j < s.count, HTMLTextParser.isLetter(s[j]) {
                    i = j + 1
                    continue
                }
            }
            out.append(s[i])
            i += 1
        }
        return out.string
    }

    /// remove_control_chars: chardata.CONTROL_CHARS (C0 but tab/LF/FF/CR, DEL, U+206A–U+206F,
    /// U+FEFF, U+FFF9–U+FFFC) removed.
    static func removingControlCharacters(_ text: String) -> String {
        var out = ScalarBuffer(capacity: text.utf8.count)
        for u in text.unicodeScalars {
            switch u.value {
            case 0x00...0x08, 0x0B, 0x0E...0x1F, 0x7F, 0x206A...0x206F, 0xFEFF, 0xFFF9...0xFFFC: continue
            default: out.append(u)
            }
        }
        return out.string
    }
}
