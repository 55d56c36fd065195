import Foundation
import XCTest
@testable import OpenSora

/// HTMLText.text(of:) against BeautifulSoup(s, "html.parser").text (bs4 4.15, Python 3.11.7), one
/// quirk per case: references, incomplete constructs, CDATA elements, string classes, endData spaces.
final class HTMLTextParserTests: XCTestCase {
    func testMatchesBeautifulSoupText() {
        let cases: [(String, String)] = [
            ("a&amp;b", "a&b"),
            ("&foo;x", "&foox"),
            ("&#150;", "\u{2013}"),
            ("&#0;", "\u{FFFD}"),
            ("&#x110000;", "\u{FFFD}"),
            ("&#xd800;x", "\u{FFFD}x"),
            ("&#65 b", "A b"),
            ("&copy", "&copy"),
            ("&copy;", "\u{A9}"),
            ("a &#", "a &#"),
            ("&#;x", "&#;x"),
            ("&#abc;<b>x</b>", "&#abc;x"),
            ("&#abc <b>x</b>", "&#abc <b>x</b>"),
            ("<b>  </b>x", " x"),
            ("<b> \u{A} </b>x", "\u{A}x"),
            ("x&eacute", "x&eacute"),
            ("a&b", "ab"),
            ("a&", "a&"),
            ("a<", "a<"),
            ("a<b", "a<b"),
            ("<!x>y", "y"),
            ("<?p>z", "z"),
            ("</ >a", "a"),
            ("</>b", "b"),
            ("<a<b>c", "c"),
            ("<script>a<b>c</script>d", "d"),
            ("<style>x", ""),
            ("<rt>ruby</rt>t", "t"),
            ("<template>q</template>w", "w"),
            ("<pre>  </pre>", "  "),
            ("<!doctype html>d", "d"),
            ("<![cdata[x]]>y", "xy"),
            ("<![cdata[]]>", " "),
            ("<!-- c -->d", "d"),
            ("<!--x", "<!--x"),
            ("a<br>b", "ab"),
            ("<br>\u{9}</br>\u{9}", " "),
            ("<a b=\u{22}c>d", "<a b=\u{22}c>d"),
            ("<a b= \u{22}c>d\u{22} >e", "e"),
            ("<a b==\u{22}c> x", " x"),
            ("<a \u{22}x\u{22}>t", "t"),
            ("</a b>c", "c"),
            ("<p/>a", "a"),
            ("<SCRIPT>x</\u{17F}cript>y", ""),
            ("&#x9d;&#128;&#x81;", "\u{9D}\u{20AC}\u{81}"),
            ("&#99999999999999999999;", "\u{FFFD}"),
            ("<a b=\u{22}1\u{22}c>d", "d"),
            ("1 < 2 & 3 > 2", "1 < 2 & 3 > 2"),
            ("   ", " "),
            ("", ""),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(HTMLText.text(of: input), expected, "input \(input.debugDescription)")
        }
    }

    /// Shapes that make html.parser search again inside scanned text stay linear here.
    func testMarkupHeavyMegabyteIsLinear() {
        for unit in ["<a", "&#", "<!--", "<a b='", "</", "<![cdata[", "<script>", "&a", "<a b=", "<!x"] {
            let small = String(repeating: unit, count: 20_000 / unit.count), large = String(repeating: unit, count: (1 << 20) / unit.count)
            let t0 = Date()
            _ = HTMLText.text(of: small)
            let t1 = Date()
            _ = HTMLText.text(of: large)
            let smallTime = t1.timeIntervalSince(t0), largeTime = Date().timeIntervalSince(t1)
            XCTAssertLessThan(largeTime, max(smallTime, 0.02) * 200, "unit \(unit.debugDescription): \(smallTime) s → \(largeTime) s")
        }
    }
}
