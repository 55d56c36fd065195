// Reference: Python 3.11 html/parser.py: locatestarttagend_tolerant, tagfind_tolerant,
// attrfind_tolerant and check_for_whole_start_tag.

/// The start-tag patterns as one-pass scanners that take the regex engine's first match: each
/// quantifier greedy, backing off only inside an attribute's value indicator.
extension HTMLTextParser {
    /// check_for_whole_start_tag: the tag's end, or -1 where the tag is incomplete.
    mutating func wholeStartTagEnd(_ i: Int) -> Int {
        let j = locateStartTagEnd(i)
        guard j < n else { return -1 }
        let next = raw[j]
        if next == ">" { return j + 1 }
        if next == "/" { return j + 1 < n && raw[j + 1] == ">" ? j + 2 : -1 }
        if Self.isLetter(next) || next == "=" { return -1 }
        return j > i ? j : i + 1
    }

    /// locatestarttagend_tolerant's match end: <name ([\s/]* attribute*)? \s*.
    /// A run of attributes from a given start always ends at the same place, so each run's end is
    /// remembered for every attribute start on it (tags that are text get scanned again otherwise).
    private mutating func locateStartTagEnd(_ i: Int) -> Int {
        var j = tagNameEnd(from: i + 1)
        while j < n, raw[j].isPythonSpace || raw[j] == "/" { j += 1 }
        var visited = [Int]()
        while true {
            if let known = attributeRunEnd[j] {
                j = known
                break
            }
            guard let e = attribute(at: j, trailingSpace: true) else { break }
            visited.append(j)
            j = e
        }
        for v in visited { attributeRunEnd[v] = j }
        while j < n, raw[j].isPythonSpace { j += 1 }
        return j
    }

    /// [a-zA-Z][^\t\n\r\f />\x00]*, from the letter at i.
    private mutating func tagNameEnd(from i: Int) -> Int {
        searches.next(of: .tagNameStop, raw, from: i + 1) ?? n
    }

    /// tagfind_tolerant at i: the name's end and the match's end (name, then (?:\s|/(?!>))*).
    mutating func tagName(at i: Int) -> (Int, Int) {
        let nameEnd = tagNameEnd(from: i)
        return (nameEnd, skipSpaceOrSlash(nameEnd))
    }

    /// (?:\s|/(?!>))*
    private func skipSpaceOrSlash(_ from: Int) -> Int {
        var j = from
        while j < n, raw[j].isPythonSpace || (raw[j] == "/" && !(j + 1 < n && raw[j + 1] == ">")) { j += 1 }
        return j
    }

    /// One attribute, (?<=['"\s/])[^\s/>][^\s/=>]* (value indicator)? (?:\s|/(?!>))*, at k: its end.
    /// `trailingSpace`: locatestarttagend_tolerant's \s* after the value (attrfind_tolerant has none).
    mutating func attribute(at k: Int, trailingSpace: Bool) -> Int? {
        guard k > 0, k < n else { return nil }
        let before = raw[k - 1], first = raw[k]
        guard before == "'" || before == "\"" || before == "/" || before.isPythonSpace,
              !(first.isPythonSpace || first == "/" || first == ">") else { return nil }
        var p = k + 1
        while p < n, !(raw[p].isPythonSpace || raw[p] == "/" || raw[p] == "=" || raw[p] == ">") { p += 1 }
        if var e = valueIndicatorEnd(at: p) {
            if trailingSpace { while e < n, raw[e].isPythonSpace { e += 1 } }
            p = e
        }
        return skipSpaceOrSlash(p)
    }

    /// \s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*) at p, with the engine's back-off: an unclosed quote
    /// makes the value empty before it (or, with no space after the `=`s, starts it at the last `=`).
    private mutating func valueIndicatorEnd(at p: Int) -> Int? {
        var a = p
        while a < n, raw[a].isPythonSpace { a += 1 }
        guard a < n, raw[a] == "=" else { return nil }
        var e = a
        while e < n, raw[e] == "=" { e += 1 }
        var s = e
        while s < n, raw[s].isPythonSpace { s += 1 }
        if let v = valueEnd(at: s) { return v }
        if s > e { return s - 1 }  // an empty bare value at the last space
        if e - 1 > a { return bareValueEnd(from: e - 1) }  // a bare value from the last "="
        return nil
    }

    /// A quoted value to its closing quote, or a bare one; nil for an unclosed quote.
    private mutating func valueEnd(at q: Int) -> Int? {
        guard q < n else { return q }
        if raw[q] == "'" || raw[q] == "\"" {
            let pattern: PatternSearches.Pattern = raw[q] == "'" ? .singleQuote : .doubleQuote
            return searches.next(of: pattern, raw, from: q + 1).map { $0 + 1 }
        }
        return bareValueEnd(from: q)
    }

    /// [^>\s]*
    private func bareValueEnd(from q: Int) -> Int {
        var j = q
        while j < n, raw[j] != ">", !raw[j].isPythonSpace { j += 1 }
        return j
    }
}
