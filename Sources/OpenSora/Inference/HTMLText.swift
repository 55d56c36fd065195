// Reference: Python html.unescape and BeautifulSoup(…, "html.parser").text, as clean_caption uses them.
import Foundation

/// The text content of a caption that may hold HTML: tags, comments and declarations dropped,
/// character references decoded.
enum HTMLText {
    static func text(of s: String) -> String {
        unescape(PromptCleaner.sub(#"<!--[\s\S]*?-->|<[a-zA-Z!/?][^>]*>"#, "", s))
    }

    /// Named (with the legacy semicolon-less forms), decimal and hexadecimal character references.
    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        let r = PromptCleaner.regex(#"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[a-zA-Z][a-zA-Z0-9]*;?)"#)
        var out = "", last = s.startIndex
        for m in r.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
            guard let range = Range(m.range, in: s), let body = Range(m.range(at: 1), in: s) else { continue }
            out += s[last..<range.lowerBound]
            last = range.upperBound
            var ref = String(s[body])
            let hasSemicolon = ref.hasSuffix(";")
            if hasSemicolon { ref.removeLast() }
            if ref.hasPrefix("#") {
                let digits = ref.dropFirst()
                let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                if let v = value, let scalar = Unicode.Scalar(v), v != 0 { out.unicodeScalars.append(scalar) } else { out += "\u{FFFD}" }
            } else if let named = entities[ref], hasSemicolon || legacy.contains(ref) {
                out += named
            } else {
                out += s[range]
            }
        }
        out += s[last...]
        return out
    }

    /// Entities decoded without a semicolon too (HTML5's legacy list, the common part).
    static let legacy: Set<String> = ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg", "AMP", "LT", "GT", "QUOT", "COPY", "REG"]

    static let entities: [String: String] = [
        "amp": "&", "AMP": "&", "lt": "<", "LT": "<", "gt": ">", "GT": ">", "quot": "\"", "QUOT": "\"", "apos": "'",
        "nbsp": "\u{A0}", "copy": "©", "COPY": "©", "reg": "®", "REG": "®", "trade": "™", "hellip": "…", "mdash": "—",
        "ndash": "–", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»", "middot": "·",
        "deg": "°", "times": "×", "divide": "÷", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢", "sect": "§",
        "para": "¶", "bull": "•", "frac12": "½", "frac14": "¼", "frac34": "¾", "iexcl": "¡", "iquest": "¿",
        "eacute": "é", "egrave": "è", "ecirc": "ê", "aacute": "á", "agrave": "à", "acirc": "â", "auml": "ä",
        "ouml": "ö", "uuml": "ü", "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "szlig": "ß", "ccedil": "ç", "ntilde": "ñ",
        "oacute": "ó", "uacute": "ú", "iacute": "í", "shy": "\u{AD}", "ensp": "\u{2002}", "emsp": "\u{2003}",
    ]
}
