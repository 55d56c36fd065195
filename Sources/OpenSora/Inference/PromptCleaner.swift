// Reference: opensora/models/text_encoder/t5.py@v1.2.0 (clean_caption, basic_clean, text_preprocessing);
// spec/t5.md §2, spec/inference.md §6.6. Python `re` patterns run verbatim through PythonRegex.
import Foundation

/// The caption cleaner Open-Sora applies (twice) to prompts before T5: URL-decoding, lower-casing,
/// removal of URLs, HTML, @handles, CJK runs, file names, ids and shop phrases, normalised dashes and
/// quotes, and collapsed punctuation/whitespace.
public enum PromptCleaner {
    /// text_preprocessing: clean_caption applied twice.
    public static func preprocess(_ text: String) -> String { clean(clean(text)) }

    public static func clean(_ caption: String) -> String {
        var c = unquotePlus(caption).trimmingPythonWhitespace().pythonLowercased()
        c = sub("<person>", "person", c)  // by code point, as Python: a String search compares whole graphemes
        // urls: the reference's two patterns, in linear time (LinearCaptionRules; the regexes are in its tests)
        c = LinearCaptionRules.removingURLs(c, wwwScheme: false)
        c = LinearCaptionRules.removingURLs(c, wwwScheme: true)
        c = HTMLText.text(of: c)
        c = sub(#"@[\w\d]+\b"#, "", c)
        for range in [#"[\u31c0-\u31ef]+"#, #"[\u31f0-\u31ff]+"#, #"[\u3200-\u32ff]+"#, #"[\u3300-\u33ff]+"#, #"[\u3400-\u4dbf]+"#,
                      #"[\u4dc0-\u4dff]+"#, #"[\u4e00-\u9fff]+"#] {
            c = sub(range, "", c)
        }
        c = sub(#"[\u002D\u058A\u05BE\u1400\u1806\u2010-\u2015\u2E17\u2E1A\u2E3A\u2E3B\u2E40\u301C\u3030\u30A0\uFE31\uFE32\uFE58\uFE63\uFF0D]+"#, "-", c)
        c = sub("[`´«»“”¨]", "\"", c)
        c = sub("[‘’]", "'", c)
        c = sub("&quot;?", "", c)
        c = sub("&amp", "", c)
        c = sub(#"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"#, " ", c)
        c = sub(#"\d:\d\d\s+$"#, "", c)
        c = sub(#"\\n"#, " ", c)  // a literal backslash-n, matched by code point (n + U+200C is one grapheme)
        c = sub(#"#\d{1,3}\b"#, "", c)
        c = sub(#"#\d{5,}\b"#, "", c)
        c = sub(#"\b\d{6,}\b"#, "", c)
        c = LinearCaptionRules.removingFileNames(c)  // [\S]+\.(?:png|jpg|jpeg|bmp|webp|eps|pdf|apk|mp4)
        c = sub(#"["']{2,}"#, "\"", c)
        c = sub(#"[\.]{2,}"#, " ", c)
        c = sub(#"[#®•©™&@·º½¾¿¡§~\)\(\]\[\}\{\|\\/\*]{1,}"#, " ", c)
        // \s+\.\s+ tried only where a space run starts (same matches: a later start in the run fails the same way).
        c = sub(#"(?<!\s)\s+\.\s+"#, " ", c)
        if matches(#"(?:\-|\_)"#, c) > 3 { c = sub(#"(?:\-|\_)"#, " ", c) }
        c = basicClean(c)
        c = sub(#"\b[a-zA-Z]{1,3}\d{3,15}\b"#, "", c)
        c = sub(#"\b[a-zA-Z]+\d+[a-zA-Z]+\b"#, "", c)
        c = sub(#"\b\d+[a-zA-Z]+\d+\b"#, "", c)
        c = sub(#"(worldwide\s+)?(free\s+)?shipping"#, "", c)
        c = sub(#"(free\s)?download(\sfree)?"#, "", c)
        c = sub(#"\bclick\b\s(?:for|on)\s\w+"#, "", c)
        c = sub(#"\b(?:png|jpg|jpeg|bmp|webp|eps|pdf|apk|mp4)(\simage[s]?)?"#, "", c)
        c = sub(#"\bpage\s+\d+\b"#, "", c)
        c = sub(#"\b\d*[a-zA-Z]+\d+[a-zA-Z]+\d+[a-zA-Z\d]*\b"#, " ", c)
        c = sub(#"\b\d+\.?\d*[xх×]\d+\.?\d*\b"#, "", c)
        c = sub(#"\b\s+\:\s+"#, ": ", c)
        c = sub(#"(\D[,\./])\b"#, "$1 ", c)
        c = sub(#"\s+"#, " ", c)
        c = sub(#"^["']([\w\W]+)["']$"#, "$1", c)
        c = sub(#"^['\_,\-\:;]"#, "", c)
        c = sub(#"['\_,\-\:\-\+]$"#, "", c)
        c = sub(#"^\.\S+$"#, "", c)
        return c.trimmingPythonWhitespace()
    }

    /// basic_clean: ftfy.fix_text (TextFixer), then html.unescape twice, then strip.
    static func basicClean(_ text: String) -> String {
        HTMLText.unescape(HTMLText.unescape(TextFixer.fixText(text))).trimmingPythonWhitespace()
    }

    /// urllib.parse.unquote_plus: `+` → space, %XX → bytes decoded as UTF-8 (invalid → U+FFFD). Byte-wise,
    /// as Python works by code point (a String search would miss a "+" that a combining mark follows).
    static func unquotePlus(_ s: String) -> String {
        let bytes = s.utf8.map { $0 == 0x2B ? 0x20 : $0 }
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x37
            case 0x61...0x66: b - 0x57
            default: nil
            }
        }
        var out = [UInt8](), i = 0
        out.reserveCapacity(bytes.count)
        while i < bytes.count {
            if bytes[i] == 0x25, i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Patterns are constants of this file, compiled once; a failure here is a programming error.
    nonisolated(unsafe) private static var compiled = [String: PythonRegex]()  // guarded by `lock`
    private static let lock = NSLock()

    static func regex(_ pattern: String) -> PythonRegex {
        lock.withLock {
            if let r = compiled[pattern] { return r }
            let r = try! PythonRegex(pattern)
            compiled[pattern] = r
            return r
        }
    }

    /// re.sub(pattern, template, s) with Python's character classes.
    static func sub(_ pattern: String, _ template: String, _ s: String) -> String { regex(pattern).sub(template, s) }

    static func matches(_ pattern: String, _ s: String) -> Int { regex(pattern).count(in: s) }
}

extension String {
    /// Python's str.strip(): Unicode whitespace at both ends.
    func trimmingPythonWhitespace() -> String {
        var scalars = Substring.UnicodeScalarView(unicodeScalars)
        while let f = scalars.first, f.isPythonSpace { scalars.removeFirst() }
        while let l = scalars.last, l.isPythonSpace { scalars.removeLast() }
        return String(scalars)
    }

    /// Python's str.lower(): full lowercase mappings, and capital sigma becomes final sigma (ς) after a
    /// cased letter when no cased letter follows (case-ignorable characters skipped both ways).
    func pythonLowercased() -> String {
        guard unicodeScalars.contains("\u{03A3}") else { return lowercased() }  // the same full mappings
        let scalars = Array(unicodeScalars)
        var out = ScalarBuffer(capacity: utf8.count)
        for (i, u) in scalars.enumerated() {
            guard u == "\u{03A3}" else {
                out.append(u.properties.lowercaseMapping)
                continue
            }
            let before = scalars[..<i].last { !$0.properties.isCaseIgnorable }
            let after = scalars[(i + 1)...].first { !$0.properties.isCaseIgnorable }
            let final = before?.properties.isCased == true && after?.properties.isCased != true
            out.append(final ? "\u{03C2}" : "\u{03C3}")
        }
        return out.string
    }
}
