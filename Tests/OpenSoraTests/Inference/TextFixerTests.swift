import XCTest
@testable import OpenSora

/// TextFixer.fixText against ftfy 6.3.1's fix_text on text its mojibake repair leaves alone.
final class TextFixerTests: XCTestCase {
    func testMatchesFtfyFixText() {
        let cases: [(String, String)] = [
            ("\u{FB01} \u{FB00} \u{133} \u{1C6}", "fi ff ij d\u{17E}"),
            ("\u{FF26}\u{FF35}\u{FF2C}\u{FF2C} \u{FF76}\u{FF80}\u{FF76}\u{FF85}\u{3000}x", "FULL \u{30AB}\u{30BF}\u{30AB}\u{30CA} x"),
            ("\u{201C}q\u{201D} \u{2018}s\u{2019} \u{2BC}", "\u{22}q\u{22} 's' '"),
            ("a\u{D}\u{A}b\u{D}c\u{2028}d\u{2029}e", "a\u{A}b\u{A}c\u{A}d\u{A}e"),
            ("a\u{D}\u{D}\u{A}b", "a\u{A}\u{A}b"),
            ("\u{85} \u{80} \u{9D} \u{81}", "\u{2026} \u{20AC} \u{9D} \u{81}"),
            ("\u{1B}[31mred\u{1B}[0m \u{1B}[x", "red "),
            ("a\u{0}b\u{7}c\u{7F}d\u{FEFF}e\u{206A}f\u{FFFC}g\u{FFFD}h", "abcdefg\u{FFFD}h"),
            ("e\u{301}", "\u{E9}"),
            ("&amp;amp;lt; &AACUTE; &NTILDE; &AMP; &#x41; &#59; &eacute", "< \u{C1} \u{D1} & A &#59; &eacute"),
            ("<b>&amp;</b>\u{A}&amp;", "<b>&amp;</b>\u{A}&amp;"),
            ("&amp;\u{A}<b>&amp;</b>", "&\u{A}<b>&amp;</b>"),
            ("&LTIMES; &ltimes;", "&LTIMES; \u{22C9}"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(TextFixer.fixText(input), expected, "input \(input.debugDescription)")
        }
    }

    func testBasicCleanUnescapesTwiceAfterFtfyAndStrips() {
        XCTAssertEqual(PromptCleaner.basicClean("  &amp;amp;amp;lt;b ﬁ\u{85}  "), "<b fi\u{2026}")
    }
}
