// Reference: Python 3.11 html/parser.py and _markupbase.py: the patterns goahead and its helpers
// search for (interesting_normal, piclose, commentclose, _markedsectionclose, _msmarkedsectionclose,
// the CDATA element's `</\s*name\s*>` under re.I), and the quotes closing attribute values.

/// re.search(pattern, raw, from) for html.parser's patterns, remembering each pattern's last answer:
/// html.parser searches again from positions inside a region already scanned, which would make a parse
/// quadratic; with the memo every position is scanned a bounded number of times.
struct PatternSearches {
    enum Pattern: Int, CaseIterable {
        case ampOrLess, greater, less, commentClose, markedSectionClose, msMarkedSectionClose, singleQuote, doubleQuote
        case tagNameStop  // what ends [^\t\n\r\f />\x00]*
    }

    typealias Match = (start: Int, end: Int)
    private var memo = [Int: (from: Int, match: Match?)]()

    /// The first match starting at or after `from`: its start.
    mutating func next(of pattern: Pattern, _ raw: [Unicode.Scalar], from: Int) -> Int? {
        next(pattern, raw, from: from)?.start
    }

    /// The first match starting at or after `from`.
    mutating func match(of pattern: Pattern, _ raw: [Unicode.Scalar], from: Int) -> Match? {
        next(pattern, raw, from: from)
    }

    /// The CDATA element's end tag, `</\s*script\s*>` (or style) with re.IGNORECASE.
    mutating func cdataClose(_ element: String, _ raw: [Unicode.Scalar], from: Int) -> Match? {
        let key = element == "script" ? 100 : 101
        let target = Array(element.unicodeScalars)
        return memoized(key, from) { Self.search(raw, from: $0, first: "<") { Self.endTag(raw, $0, target) } }
    }

    private mutating func next(_ pattern: Pattern, _ raw: [Unicode.Scalar], from: Int) -> Match? {
        memoized(pattern.rawValue, from) { p in
            switch pattern {
            case .ampOrLess:
                var q = p
                while q < raw.count, raw[q] != "&", raw[q] != "<" { q += 1 }
                return q < raw.count ? (q, q + 1) : nil
            case .greater: return Self.search(raw, from: p, first: ">") { $0 + 1 }
            case .less: return Self.search(raw, from: p, first: "<") { $0 + 1 }
            case .singleQuote: return Self.search(raw, from: p, first: "'") { $0 + 1 }
            case .doubleQuote: return Self.search(raw, from: p, first: "\"") { $0 + 1 }
            case .commentClose: return Self.search(raw, from: p, first: "-") { Self.sequence(raw, $0, ["-", "-", nil, ">"]) }
            case .markedSectionClose: return Self.search(raw, from: p, first: "]") { Self.sequence(raw, $0, ["]", nil, "]", nil, ">"]) }
            case .tagNameStop:
                var q = p
                while q < raw.count, !"\t\n\r\u{0C} />\u{00}".unicodeScalars.contains(raw[q]) { q += 1 }
                return q < raw.count ? (q, q + 1) : nil
            case .msMarkedSectionClose: return Self.search(raw, from: p, first: "]") { Self.sequence(raw, $0, ["]", nil, ">"]) }
            }
        }
    }

    /// A remembered answer stays right for a later start that does not pass its match.
    private mutating func memoized(_ key: Int, _ from: Int, _ search: (Int) -> Match?) -> Match? {
        if let m = memo[key], m.from <= from, m.match.map({ $0.start >= from }) ?? true { return m.match }
        let found = search(from)
        memo[key] = (from, found)
        return found
    }

    /// The first q >= from holding `first` where `matchEnd(q)` matches.
    private static func search(_ raw: [Unicode.Scalar], from: Int, first: Unicode.Scalar, _ matchEnd: (Int) -> Int?) -> Match? {
        var q = max(from, 0)
        while q < raw.count {
            if raw[q] == first, let e = matchEnd(q) { return (q, e) }
            q += 1
        }
        return nil
    }

    /// Literal scalars in order, nil standing for \s*: the match's end.
    private static func sequence(_ raw: [Unicode.Scalar], _ q: Int, _ items: [Unicode.Scalar?]) -> Int? {
        var j = q
        for item in items {
            if let u = item {
                guard j < raw.count, raw[j] == u else { return nil }
                j += 1
            } else {
                while j < raw.count, raw[j].isPythonSpace { j += 1 }
            }
        }
        return j
    }

    /// </\s*name\s*> with re.IGNORECASE's Unicode folding (ſ matches s; İ and ı match i).
    private static func endTag(_ raw: [Unicode.Scalar], _ q: Int, _ name: [Unicode.Scalar]) -> Int? {
        guard var j = sequence(raw, q, ["<", "/", nil]) else { return nil }
        for t in name {
            guard j < raw.count else { return nil }
            let c = raw[j]
            let upper = Unicode.Scalar(t.value - 0x20) ?? t
            guard c == t || c == upper || (t == "s" && c == "\u{17F}") || (t == "i" && (c == "\u{130}" || c == "\u{131}")) else { return nil }
            j += 1
        }
        return sequence(raw, j, [nil, ">"])
    }
}
