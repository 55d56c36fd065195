// Reference: clean_caption in opensora/models/text_encoder/t5.py@v1.2.0, the two URL patterns and the file-name
// pattern. Backtracking engines (Python's and ICU's) take quadratic time on them for long runs without spaces
// (`a.a.a.…`: minutes for 100 kB); these scanners give re.sub's exact result in linear time.

/// re.sub(pattern, "", s) for the cleaner's three backtracking-heavy patterns, computed in one pass.
///
/// Each pattern is "a run of a class, then the *last* suitable `.` in that run, then a suffix" under
/// greedy matching. The suitable dots of a run do not depend on where in the run the match starts, so
/// the greedy choice — the largest suitable dot after the start — is found once per run.
enum LinearCaptionRules {
    /// `[\S]+\.(?:png|jpg|jpeg|bmp|webp|eps|pdf|apk|mp4)`
    static func removingFileNames(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        var out = ScalarBuffer(), i = 0
        var run = (start: -1, end: -1, lastDot: -1, matchEnd: -1)
        while i < s.count {
            guard !s[i].isPythonSpace else { out.append(s[i]); i += 1; continue }
            if i >= run.end {
                var e = i
                while e < s.count, !s[e].isPythonSpace { e += 1 }
                run = (i, e, -1, -1)
                for k in stride(from: e - 1, to: i, by: -1) where s[k] == "." {
                    if let ext = prefixMatch(s, at: k + 1, of: fileExtensions) {
                        run.lastDot = k
                        run.matchEnd = k + 1 + ext
                        break
                    }
                }
            }
            if run.lastDot > i {
                i = run.matchEnd  // s[i..<matchEnd] is removed
            } else {
                for u in s[i..<run.end] { out.append(u) }
                i = run.end
            }
        }
        return out.string
    }

    /// `\b((?:SCHEME:(?:\/{1,3}|[a-zA-Z0-9%])|[a-zA-Z0-9.\-]+[.](?:com|co|ru|net|org|edu|gov|it)[\w/-]*\b\/?(?!@)))`
    /// with SCHEME `https?` (`www` for the second pattern).
    static func removingURLs(_ text: String, wwwScheme: Bool) -> String {
        let s = Array(text.unicodeScalars)
        var out = ScalarBuffer(), i = 0
        var hostRun = (end: -1, lastDot: -1, matchEnd: -1)
        let tails = PathTails(s)
        while i < s.count {
            guard isBoundary(s, i) else { out.append(s[i]); i += 1; continue }
            if let end = schemeMatch(s, at: i, www: wwwScheme) {
                i = end
                continue
            }
            if isHostChar(s[i]) {
                if i >= hostRun.end {
                    var e = i
                    while e < s.count, isHostChar(s[e]) { e += 1 }
                    hostRun = (e, -1, -1)
                    search: for k in stride(from: e - 1, to: i, by: -1) where s[k] == "." {
                        for tld in topLevelDomains where hasPrefix(s, at: k + 1, tld) {
                            if let end = tails.end(from: k + 1 + tld.count) {
                                hostRun.lastDot = k
                                hostRun.matchEnd = end
                                break search
                            }
                        }
                    }
                }
                if hostRun.lastDot > i {
                    i = hostRun.matchEnd
                    continue
                }
            }
            out.append(s[i])
            i += 1
        }
        return out.string
    }

    /// `https?:` or `www:`, then `\/{1,3}` or one of `[a-zA-Z0-9%]`; the match end.
    static func schemeMatch(_ s: [Unicode.Scalar], at p: Int, www: Bool) -> Int? {
        var c: Int
        if www {
            guard hasPrefix(s, at: p, Array("www:".unicodeScalars)) else { return nil }
            c = p + 4
        } else {
            guard hasPrefix(s, at: p, Array("http".unicodeScalars)) else { return nil }
            c = p + 4
            if c < s.count, s[c] == "s", c + 1 < s.count, s[c + 1] == ":" { c += 1 }
            guard c < s.count, s[c] == ":" else { return nil }
            c += 1
        }
        var slashes = 0
        while slashes < 3, c + slashes < s.count, s[c + slashes] == "/" { slashes += 1 }
        if slashes > 0 { return c + slashes }
        if c < s.count, s[c].isASCII, s[c].properties.isAlphabetic || ("0"..."9").contains(s[c]) || s[c] == "%" { return c + 1 }
        return nil
    }

    /// `[\w/-]*\b\/?(?!@)` from any position t: the greedy run stops at its end f if \b holds there and
    /// no "@" follows, else at the last \b inside [t, f). Tables over the whole text answer it in O(1).
    struct PathTails {
        let s: [Unicode.Scalar]
        /// For each i: the end of the `[\w/-]` run holding i (i itself when s[i] is not in the class).
        var runEnd: [Int]
        /// For each i inside a run: the last \b position in [i, runEnd[i]), or -1.
        var lastBoundary: [Int]

        init(_ s: [Unicode.Scalar]) {
            self.s = s
            runEnd = Array(repeating: 0, count: s.count + 1)
            lastBoundary = Array(repeating: -1, count: s.count + 1)
            runEnd[s.count] = s.count
            for i in stride(from: s.count - 1, through: 0, by: -1) {
                guard isPathChar(s[i]) else {
                    runEnd[i] = i
                    continue
                }
                let continues = i + 1 < s.count && isPathChar(s[i + 1])
                runEnd[i] = continues ? runEnd[i + 1] : i + 1
                lastBoundary[i] = continues && lastBoundary[i + 1] >= 0 ? lastBoundary[i + 1] : (isBoundary(s, i) ? i : -1)
            }
        }

        func end(from t: Int) -> Int? {
            let f = runEnd[t]
            if isBoundary(s, f), f == s.count || s[f] != "@" { return f }
            let m = lastBoundary[t]
            guard m >= 0 else { return nil }
            // `/?` takes the slash unless an "@" follows it; either way (?!@) holds.
            return s[m] == "/" && !(m + 1 < s.count && s[m + 1] == "@") ? m + 1 : m
        }
    }

    static let fileExtensions = ["png", "jpg", "jpeg", "bmp", "webp", "eps", "pdf", "apk", "mp4"].map { Array($0.unicodeScalars) }
    static let topLevelDomains = ["com", "co", "ru", "net", "org", "edu", "gov", "it"].map { Array($0.unicodeScalars) }

    /// The length of the first alternative that matches at `p` (alternation order, as the regex tries them).
    static func prefixMatch(_ s: [Unicode.Scalar], at p: Int, of alternatives: [[Unicode.Scalar]]) -> Int? {
        alternatives.first { hasPrefix(s, at: p, $0) }?.count
    }

    static func hasPrefix(_ s: [Unicode.Scalar], at p: Int, _ literal: [Unicode.Scalar]) -> Bool {
        guard p >= 0, p + literal.count <= s.count else { return false }
        return literal.indices.allSatisfy { s[p + $0] == literal[$0] }
    }

    /// Python's \b: \w on exactly one side (outside the string counts as non-\w).
    static func isBoundary(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        (i > 0 && s[i - 1].isPythonWord) != (i < s.count && s[i].isPythonWord)
    }

    /// `[a-zA-Z0-9.\-]`
    static func isHostChar(_ u: Unicode.Scalar) -> Bool {
        u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "." || u == "-")
    }

    /// `[\w/-]`
    static func isPathChar(_ u: Unicode.Scalar) -> Bool { u.isPythonWord || u == "/" || u == "-" }
}
