// Reference: ftfy 6.3.1 ftfy/fixes.py (unescape_html, _unescape_fixup) and ftfy/chardata.py
// (HTML_ENTITY_RE, _build_html_entities).

/// ftfy's own HTML unescaping: only `&name;`/`&#…;` with the semicolon, HTML5 names plus their
/// upper-cased forms where those mean nothing to html.unescape.
enum FtfyEntities {
    /// HTML_ENTITY_RE = &#?[0-9A-Za-z]{1,24}; replaced by _unescape_fixup, left to right.
    static func unescape(_ text: String) -> String {
        guard text.unicodeScalars.contains("&") else { return text }
        let s = Array(text.unicodeScalars)
        var out = ScalarBuffer(capacity: text.utf8.count)
        var i = 0
        while i < s.count {
            if s[i] == "&", let end = matchEnd(s, i) {
                let match = String(String.UnicodeScalarView(s[i..<end]))
                out.append(fixup(match))
                i = end
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out.string
    }

    private static func isAlnum(_ u: Unicode.Scalar) -> Bool {
        HTMLTextParser.isLetter(u) || ("0"..."9").contains(u)
    }

    /// The end of an HTML_ENTITY_RE match at i (an "&"), if any.
    private static func matchEnd(_ s: [Unicode.Scalar], _ i: Int) -> Int? {
        var j = i + 1
        if j < s.count, s[j] == "#" { j += 1 }
        let runStart = j
        while j < s.count, isAlnum(s[j]), j - runStart < 25 { j += 1 }
        let run = j - runStart
        guard (1...24).contains(run), j < s.count, s[j] == ";" else { return nil }
        return j + 1
    }

    /// _unescape_fixup: the table, else numeric references through html.unescape (kept as written
    /// when the result still holds a ";"), else unchanged.
    static func fixup(_ match: String) -> String {
        if let v = entity(match) { return v }
        if match.hasPrefix("&#") {
            let unescaped = HTMLText.unescape(match)
            return unescaped.contains(";") ? match : unescaped
        }
        return match
    }

    /// chardata.HTML_ENTITIES: "&name;" of html5, and "&NAME;" for an all-lower-case name whose upper
    /// case html.unescape leaves alone (its value upper-cased).
    static func entity(_ match: String) -> String? {
        let name = String(match.dropFirst())  // "name;"
        if let v = HTMLText.html5Entities[name] { return v }
        let lower = name.lowercased()
        guard lower != name, lower.uppercased() == name, let v = HTMLText.html5Entities[lower],
              HTMLText.unescape(match) == match else { return nil }
        return v.uppercased()
    }
}
