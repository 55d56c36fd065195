// Reference: bs4 4.15 (bs4/__init__.py BeautifulSoup.endData/pushTag/popTag/_popToTag,
// bs4/builder/_htmlparser.py BeautifulSoupHTMLParser, bs4/element.py Tag._all_strings).

/// What BeautifulSoup keeps of html.parser's events for `.text`: the strings it would create, in
/// document order, of the classes `.text` selects (NavigableString and CData, not those inside
/// rt/rp/style/script/template, not comments, declarations or processing instructions).
struct SoupTextBuilder {
    /// Classes a flushed string can get (bs4.element's NavigableString subclasses, as far as `.text` cares).
    enum StringKind { case text, cdata, excluded }

    private(set) var text = ScalarBuffer(capacity: 0)
    private var pending = ScalarBuffer(capacity: 0)
    private var hasPending = false  // bs4's current_data list is non-empty (it may hold only "")
    private var stack = [String]()  // open tags, the root excluded
    private var openCount = [String: Int]()
    private var preserveWhitespaceDepth = 0  // open pre/textarea tags
    private var containerDepth = 0  // open rt/rp/style/script/template tags
    private var alreadyClosedEmpty = [String: Int]()  // a multiset: only membership and removal count

    /// HTMLTreeBuilder.DEFAULT_PRESERVE_WHITESPACE_TAGS.
    static let preserveWhitespaceTags: Set<String> = ["pre", "textarea"]
    /// HTMLTreeBuilder.DEFAULT_STRING_CONTAINERS: their strings get classes `.text` skips.
    static let stringContainerTags: Set<String> = ["rt", "rp", "style", "script", "template"]
    /// HTMLTreeBuilder.DEFAULT_EMPTY_ELEMENT_TAGS: closed as soon as they open.
    static let emptyElementTags: Set<String> = [
        "area", "base", "basefont", "bgsound", "br", "col", "command", "embed", "frame", "hr", "image", "img",
        "input", "isindex", "keygen", "link", "menuitem", "meta", "nextid", "param", "source", "spacer", "track", "wbr",
    ]

    /// BeautifulSoup.handle_data: appended to the pending string.
    mutating func data<S: Sequence>(_ scalars: S) where S.Element == Unicode.Scalar {
        for u in scalars { pending.append(u) }
        hasPending = true
    }

    mutating func data(_ s: String) { data(s.unicodeScalars) }

    /// BeautifulSoup.endData: a pending string of ASCII spaces only becomes "\n" (if it holds one) or
    /// " ", outside pre/textarea; inside a string-container tag a plain string is not selected.
    mutating func endData(_ kind: StringKind = .text) {
        guard hasPending else { return }
        var s = pending.string
        pending = ScalarBuffer(capacity: 0)
        hasPending = false
        if preserveWhitespaceDepth == 0, s.unicodeScalars.allSatisfy({ Self.isASCIISpace($0) }) {
            s = s.unicodeScalars.contains("\n") ? "\n" : " "
        }
        let selected = kind == .cdata || (kind == .text && containerDepth == 0)
        if selected { for u in s.unicodeScalars { text.append(u) } }
    }

    /// BeautifulSoup.ASCII_SPACES.
    static func isASCIISpace(_ u: Unicode.Scalar) -> Bool {
        u == " " || u == "\n" || u == "\t" || u == "\u{0C}" || u == "\r"
    }

    /// BeautifulSoupHTMLParser.handle_starttag: a void element is closed at once, and its later end
    /// tag ignored once.
    mutating func startTag(_ name: String, selfClosing: Bool) {
        endData()
        stack.append(name)
        openCount[name, default: 0] += 1
        if Self.preserveWhitespaceTags.contains(name) { preserveWhitespaceDepth += 1 }
        if Self.stringContainerTags.contains(name) { containerDepth += 1 }
        if selfClosing {
            endTag(name, checkAlreadyClosed: false)
        } else if Self.emptyElementTags.contains(name) {
            endTag(name, checkAlreadyClosed: false)
            alreadyClosedEmpty[name, default: 0] += 1
        }
    }

    /// BeautifulSoupHTMLParser.handle_endtag then BeautifulSoup._popToTag: pops up to the most recent
    /// open tag of that name, if any.
    mutating func endTag(_ name: String, checkAlreadyClosed: Bool = true) {
        if checkAlreadyClosed, let count = alreadyClosedEmpty[name], count > 0 {
            alreadyClosedEmpty[name] = count - 1
            return
        }
        endData()
        guard openCount[name, default: 0] > 0 else { return }
        while let top = stack.popLast() {
            openCount[top, default: 0] -= 1
            if Self.preserveWhitespaceTags.contains(top) { preserveWhitespaceDepth -= 1 }
            if Self.stringContainerTags.contains(top) { containerDepth -= 1 }
            if top == name { break }
        }
    }

    /// handle_comment / handle_decl / handle_pi / unknown_decl: a string of its own class.
    mutating func special(_ content: ArraySlice<Unicode.Scalar>, kind: StringKind) {
        endData()
        data(content)
        endData(kind)
    }

    /// BeautifulSoupHTMLParser.handle_entityref: bs4's table (html5's names without ";"), else "&name".
    mutating func entityReference(_ name: String) {
        data(HTMLText.html5Entities[name + ";"] ?? "&" + name)
    }

    /// BeautifulSoupHTMLParser.handle_charref via UnicodeDammit.numeric_character_reference: NUL,
    /// surrogates and values past U+10FFFF give U+FFFD, 0x80–0x9F read as Windows-1252, others as-is.
    mutating func characterReference(_ digits: ArraySlice<Unicode.Scalar>) {
        var body = digits[...]
        var radix: UInt32 = 10
        if let f = body.first, f == "x" || f == "X" {
            radix = 16
            body = body.dropFirst()
        }
        var value: UInt32 = 0
        for u in body {
            guard let d = UInt32(String(u), radix: Int(radix)) else { break }
            value = value > 0x11_0000 ? value : value * radix + d  // saturates past U+10FFFF
        }
        let out: String
        if value == 0 || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) {
            out = "\u{FFFD}"
        } else if (0x80...0x9F).contains(value), let mapped = HTMLText.windows1252References[value] {
            out = mapped
        } else {
            out = Unicode.Scalar(value).map { String($0) } ?? "\u{FFFD}"
        }
        data(out)
        data("")  // the reference's empty extra_data
    }

    /// BeautifulSoup._feed's end: the pending string flushed (open tags popped changes nothing else).
    mutating func finish() -> String {
        endData()
        return text.string
    }
}
