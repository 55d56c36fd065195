// Reference: Python 3 `re` on str patterns (sre: \w = str.isalnum() or "_", \s = str.isspace(),
// \b between \w and non-\w, `$` before a final "\n" only). ICU's classes differ (marks in \w,
// UAX #29 word breaks that keep "host.name" one word), so captions cleaned with them differ.
import Foundation

/// A Python `re` pattern run on ICU with Python's meaning of `\w \W \s \S \b \B` and `$`:
/// each escape is rewritten into an explicit ICU set before compiling.
struct PythonRegex: @unchecked Sendable {  // NSRegularExpression is immutable and thread-safe
    let expression: NSRegularExpression

    /// Python's \w: general categories L* and N* (isalpha, isdecimal, isdigit, isnumeric) and "_".
    static let wordSet = #"\p{L}\p{N}_"#
    /// Python's \s: str.isspace(), which adds the separators U+001C–U+001F to Unicode's White_Space.
    static let spaceSet = #"\p{White_Space}\x{1C}-\x{1F}"#

    init(_ pattern: String) throws {
        expression = try NSRegularExpression(pattern: Self.translate(pattern), options: [.useUnixLineSeparators])
    }

    /// Rewrites the class escapes, inside and outside brackets; everything else passes unchanged.
    static func translate(_ pattern: String) -> String {
        let word = "[\(wordSet)]", nonWord = "[^\(wordSet)]"
        var out = "", inClass = false, chars = Array(pattern), i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                let e = chars[i + 1]
                i += 2
                switch (e, inClass) {
                case ("w", false): out += word
                case ("W", false): out += nonWord
                case ("s", false): out += "[\(spaceSet)]"
                case ("S", false): out += "[^\(spaceSet)]"
                case ("w", true): out += wordSet
                case ("W", true): out += nonWord
                case ("s", true): out += spaceSet
                case ("S", true): out += "[^\(spaceSet)]"
                case ("b", false): out += "(?:(?<=\(word))(?!\(word))|(?<!\(word))(?=\(word)))"
                case ("B", false): out += "(?:(?<=\(word))(?=\(word))|(?<!\(word))(?!\(word)))"
                default: out += "\\\(e)"
                }
                continue
            }
            if c == "[", !inClass {
                inClass = true
                out.append(c)
                // A leading "^" and a "]" right after the opening bracket (or after "^") are literal in Python.
                if i + 1 < chars.count, chars[i + 1] == "^" { out.append("^"); i += 1 }
                if i + 1 < chars.count, chars[i + 1] == "]" { out += "\\]"; i += 1 }
            } else if c == "]", inClass {
                inClass = false
                out.append(c)
            } else if inClass, c == "[" {
                out += "\\["  // literal in Python, a nested set in ICU
            } else if !inClass, c == "$" {
                out += #"(?=\n?\z)"#  // Python's $ without MULTILINE: the end, or before a final newline
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }

    /// re.sub(pattern, template, s) with ICU's `$1` group syntax in the template.
    func sub(_ template: String, _ s: String) -> String {
        expression.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
    }

    /// len(re.findall(pattern, s))
    func count(in s: String) -> Int {
        expression.numberOfMatches(in: s, range: NSRange(s.startIndex..., in: s))
    }

    func matches(in s: String) -> [NSTextCheckingResult] {
        expression.matches(in: s, range: NSRange(s.startIndex..., in: s))
    }
}
