// Reference: Python 3.11 html/parser.py (HTMLParser.goahead and its parse_* helpers) and
// _markupbase.py (parse_marked_section, _scan_name), driven as bs4's HTMLParserTreeBuilder.feed does:
// feed() = goahead(0), then close() = goahead(1), convert_charrefs=False.

/// Python's html.parser tokenizer over a caption's code points, feeding a SoupTextBuilder. Every
/// search goes through a memo (PatternSearch) so the whole parse stays linear in the input.
struct HTMLTextParser {
    let raw: [Unicode.Scalar]
    var n: Int { raw.count }
    private var start = 0  // Python's self.rawdata is raw[start...]
    private var cdataElement: String?  // set_cdata_mode: inside script/style
    private var soup = SoupTextBuilder()
    var searches = PatternSearches()
    var attributeRunEnd = [Int: Int]()  // locatestarttagend_tolerant's attribute runs (HTMLStartTag)
    private let lastSemicolon: Int

    init(_ text: String) {
        raw = Array(text.unicodeScalars)
        lastSemicolon = raw.lastIndex(of: ";") ?? -1
    }

    /// BeautifulSoup(text, "html.parser").text.
    static func text(of s: String) -> String {
        var p = HTMLTextParser(s)
        p.goahead(end: false)
        p.goahead(end: true)
        return p.soup.finish()
    }

    private func starts(_ prefix: String, at i: Int) -> Bool {
        var j = i
        for u in prefix.unicodeScalars {
            guard j < n, raw[j] == u else { return false }
            j += 1
        }
        return true
    }

    static func isLetter(_ u: Unicode.Scalar) -> Bool { ("a"..."z").contains(u) || ("A"..."Z").contains(u) }
    private static func isDigit(_ u: Unicode.Scalar) -> Bool { ("0"..."9").contains(u) }
    private static func isHexDigit(_ u: Unicode.Scalar) -> Bool { isDigit(u) || ("a"..."f").contains(u) || ("A"..."F").contains(u) }

    /// HTMLParser.goahead(end): text up to the next `<`/`&` (or the CDATA element's end tag), then
    /// the construct there; incomplete constructs wait for end=True and then become text.
    mutating func goahead(end: Bool) {
        var i = start
        while i < n {
            let j: Int
            if let element = cdataElement {
                guard let m = searches.cdataClose(element, raw, from: i) else { break }
                j = m.start
            } else {
                j = searches.next(of: .ampOrLess, raw, from: i) ?? n
            }
            if i < j { soup.data(raw[i..<j]) }
            i = j
            if i == n { break }
            if raw[i] == "<" {
                var k: Int
                if i + 1 < n, Self.isLetter(raw[i + 1]) {
                    k = parseStartTag(i)
                } else if starts("</", at: i) {
                    k = parseEndTag(i)
                } else if starts("<!--", at: i) {
                    k = parseComment(i)
                } else if starts("<?", at: i) {
                    k = parsePI(i)
                } else if starts("<!", at: i) {
                    k = parseHTMLDeclaration(i)
                } else if i + 1 < n {
                    soup.data("<")
                    k = i + 1
                } else {
                    break
                }
                if k < 0 {
                    if !end { break }
                    if let gt = searches.next(of: .greater, raw, from: i + 1) {
                        k = gt + 1
                    } else {
                        k = searches.next(of: .less, raw, from: i + 1) ?? (i + 1)
                    }
                    soup.data(raw[i..<k])
                }
                i = k
            } else if starts("&#", at: i) {
                if let e = matchCharref(i) {
                    soup.characterReference(raw[(i + 2)..<(e - 1)])
                    i = raw[e - 1] == ";" ? e : e - 1
                    continue
                }
                if lastSemicolon >= i {  // bail by consuming "&#"
                    soup.data("&#")
                    i += 2
                }
                break
            } else {
                if let (nameEnd, e) = matchEntityref(i) {
                    soup.entityReference(String(String.UnicodeScalarView(raw[(i + 1)..<nameEnd])))
                    i = raw[e - 1] == ";" ? e : e - 1
                    continue
                }
                if i + 1 < n, Self.isLetter(raw[i + 1]) || raw[i + 1] == "#" {  // `incomplete`
                    if end, n - i == 2 { i += 1 }
                    break
                } else if i + 1 < n {
                    soup.data("&")
                    i += 1
                } else {
                    break
                }
            }
        }
        if end, i < n, cdataElement == nil {
            soup.data(raw[i..<n])
            i = n
        }
        start = i
    }

    /// `charref` = &#(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]: the match's end.
    private func matchCharref(_ i: Int) -> Int? {
        var j = i + 2
        guard j < n else { return nil }
        if raw[j] == "x" || raw[j] == "X" {
            j += 1
            let digits = j
            while j < n, Self.isHexDigit(raw[j]) { j += 1 }
            guard j > digits, j < n else { return nil }
        } else {
            let digits = j
            while j < n, Self.isDigit(raw[j]) { j += 1 }
            guard j > digits, j < n, !Self.isHexDigit(raw[j]) else { return nil }
        }
        return j + 1
    }

    /// `entityref` = &([a-zA-Z][-.a-zA-Z0-9]*)[^a-zA-Z0-9]: the name's end and the match's end; at
    /// the end of the input the name backs off to its last `-` or `.`.
    private func matchEntityref(_ i: Int) -> (Int, Int)? {
        guard i + 1 < n, Self.isLetter(raw[i + 1]) else { return nil }
        var j = i + 2
        while j < n, Self.isLetter(raw[j]) || Self.isDigit(raw[j]) || raw[j] == "-" || raw[j] == "." { j += 1 }
        if j < n { return (j, j + 1) }
        var k = n - 1
        while k > i + 1, raw[k] != "-", raw[k] != "." { k -= 1 }
        return k > i + 1 ? (k, k + 1) : nil
    }

    private mutating func parseComment(_ i: Int) -> Int {
        guard let m = searches.match(of: .commentClose, raw, from: i + 4) else { return -1 }
        soup.special(raw[(i + 4)..<m.start], kind: .excluded)
        return m.end
    }

    private mutating func parsePI(_ i: Int) -> Int {
        guard let j = searches.next(of: .greater, raw, from: i + 2) else { return -1 }
        soup.special(raw[(i + 2)..<j], kind: .excluded)
        return j + 1
    }

    /// parse_html_declaration: marked sections, doctype, else a bogus comment.
    private mutating func parseHTMLDeclaration(_ i: Int) -> Int {
        if starts("<![", at: i), let k = parseMarkedSection(i) { return k }
        if i + 9 <= n, String(String.UnicodeScalarView(raw[i..<(i + 9)])).lowercased() == "<!doctype" {
            guard let gt = searches.next(of: .greater, raw, from: i + 9) else { return -1 }
            soup.special(raw[(i + 2)..<gt], kind: .excluded)
            return gt + 1
        }
        return parseBogusComment(i)
    }

    private mutating func parseBogusComment(_ i: Int) -> Int {
        guard let pos = searches.next(of: .greater, raw, from: i + 2) else { return -1 }
        soup.special(raw[(i + 2)..<pos], kind: .excluded)
        return pos + 1
    }

    /// _markupbase.parse_marked_section; nil where the reference raises AssertionError (an unknown
    /// keyword; BeautifulSoup then rejects the markup), which is read here as a bogus comment.
    private mutating func parseMarkedSection(_ i: Int) -> Int? {
        var j = i + 3
        if j == n { return -1 }
        guard Self.isLetter(raw[j]) else { return nil }
        while j < n, Self.isLetter(raw[j]) || Self.isDigit(raw[j]) || "-_.".unicodeScalars.contains(raw[j]) { j += 1 }
        let name = String(String.UnicodeScalarView(raw[(i + 3)..<j])).lowercased()
        while j < n, raw[j].isPythonSpace { j += 1 }
        if j == n { return -1 }
        let close: PatternSearches.Pattern
        if ["temp", "cdata", "ignore", "include", "rcdata"].contains(name) {
            close = .markedSectionClose
        } else if ["if", "else", "endif"].contains(name) {
            close = .msMarkedSectionClose
        } else {
            return nil
        }
        guard let m = searches.match(of: close, raw, from: i + 3) else { return -1 }
        let body = raw[(i + 3)..<m.start]
        if String(String.UnicodeScalarView(body.prefix(6))).uppercased() == "CDATA[" {
            soup.special(body.dropFirst(6), kind: .cdata)
        } else {
            soup.special(body, kind: .excluded)
        }
        return m.end
    }

    /// parse_starttag: check_for_whole_start_tag's end, the name by tagfind_tolerant, attributes by
    /// attrfind_tolerant; leftovers other than ">"/"/>" make the whole tag text.
    private mutating func parseStartTag(_ i: Int) -> Int {
        let endpos = wholeStartTagEnd(i)
        if endpos < 0 { return endpos }
        let (nameEnd, afterName) = tagName(at: i + 1)
        let tag = String(String.UnicodeScalarView(raw[(i + 1)..<nameEnd])).pythonLowercased()
        var k = afterName
        while k < endpos, let m = attribute(at: k, trailingSpace: false) { k = m }
        let rest = k < endpos ? String(String.UnicodeScalarView(raw[k..<endpos])).trimmingPythonWhitespace() : ""
        guard rest == ">" || rest == "/>" else {
            soup.data(raw[i..<endpos])
            return endpos
        }
        if rest.hasSuffix("/>") {
            soup.startTag(tag, selfClosing: true)
        } else {
            soup.startTag(tag, selfClosing: false)
            if tag == "script" || tag == "style" { cdataElement = tag }
        }
        return endpos
    }

    /// parse_endtag: `endtagfind`, else the tolerant name, `</>` (ignored) or a bogus comment.
    private mutating func parseEndTag(_ i: Int) -> Int {
        guard let gt = searches.next(of: .greater, raw, from: i + 1) else { return -1 }
        let gtpos = gt + 1
        guard let elem = matchEndTag(i) else {
            if cdataElement != nil {
                soup.data(raw[i..<gtpos])
                return gtpos
            }
            guard i + 2 < n, Self.isLetter(raw[i + 2]) else {
                if starts("</>", at: i) { return i + 3 }
                return parseBogusComment(i)
            }
            let (nameEnd, afterName) = tagName(at: i + 2)
            let tag = String(String.UnicodeScalarView(raw[(i + 2)..<nameEnd])).pythonLowercased()
            let close = searches.next(of: .greater, raw, from: afterName) ?? (n - 1)
            soup.endTag(tag)
            return close + 1
        }
        if let element = cdataElement, elem != element {
            soup.data(raw[i..<gtpos])
            return gtpos
        }
        soup.endTag(elem)
        cdataElement = nil
        return gtpos
    }

    /// `endtagfind` = </\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*> at i: the lower-cased name.
    private func matchEndTag(_ i: Int) -> String? {
        var j = i + 2
        while j < n, raw[j].isPythonSpace { j += 1 }
        guard j < n, Self.isLetter(raw[j]) else { return nil }
        let nameStart = j
        while j < n, Self.isLetter(raw[j]) || Self.isDigit(raw[j]) || "-.:_".unicodeScalars.contains(raw[j]) { j += 1 }
        let nameEnd = j
        while j < n, raw[j].isPythonSpace { j += 1 }
        guard j < n, raw[j] == ">" else { return nil }
        return String(String.UnicodeScalarView(raw[nameStart..<nameEnd])).lowercased()
    }
}
