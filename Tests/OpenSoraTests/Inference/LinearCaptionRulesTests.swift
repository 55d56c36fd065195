import Foundation
@testable import OpenSora
import XCTest

/// The linear scanners equal the reference's regexes (run through PythonRegex) on many random
/// strings built from the characters the patterns care about, and the whole cleaner is linear.
final class LinearCaptionRulesTests: XCTestCase {
    static let urlHTTP = #"\b((?:https?:(?:\/{1,3}|[a-zA-Z0-9%])|[a-zA-Z0-9.\-]+[.](?:com|co|ru|net|org|edu|gov|it)[\w/-]*\b\/?(?!@)))"#
    static let urlWWW = #"\b((?:www:(?:\/{1,3}|[a-zA-Z0-9%])|[a-zA-Z0-9.\-]+[.](?:com|co|ru|net|org|edu|gov|it)[\w/-]*\b\/?(?!@)))"#
    static let fileName = #"[\S]+\.(?:png|jpg|jpeg|bmp|webp|eps|pdf|apk|mp4)"#

    func testScannersEqualTheReferencePatterns() throws {
        let pieces = ["a", "1", ".", "-", "/", "@", " ", "_", "é", "x", "%", ":", "com", "co", "it", "org", "http", "https", "www:",
                      "://", "png", "jpeg", "jp", "mp4", "\u{0301}", "ß", "二", "\t", "?", "=", "Z", "9"]
        var rng = SplitMix(seed: 7)
        let http = try PythonRegex(Self.urlHTTP), www = try PythonRegex(Self.urlWWW), file = try PythonRegex(Self.fileName)
        var changed = 0
        for _ in 0..<20_000 {
            let s = (0..<Int(rng.next() % 14)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let wantHTTP = http.sub("", s), wantWWW = www.sub("", s), wantFile = file.sub("", s)
            XCTAssertEqual(LinearCaptionRules.removingURLs(s, wwwScheme: false), wantHTTP, "http pattern on \(s.debugDescription)")
            XCTAssertEqual(LinearCaptionRules.removingURLs(s, wwwScheme: true), wantWWW, "www pattern on \(s.debugDescription)")
            XCTAssertEqual(LinearCaptionRules.removingFileNames(s), wantFile, "file pattern on \(s.debugDescription)")
            if wantHTTP != s || wantFile != s || wantWWW != s { changed += 1 }
        }
        XCTAssertGreaterThan(changed, 1000, "the strings must exercise the patterns, not only miss them")
    }

    /// A 1 MB prompt of each shape that made the backtracking patterns quadratic (minutes at 140 kB)
    /// is cleaned in time proportional to its length.
    func testAMegabytePromptIsCleanedInBoundedTime() throws {
        for unit in ["a.", "aa-", "a ", "a.com/"] {
            let small = String(repeating: unit, count: 20_000 / unit.count), large = String(repeating: unit, count: (1 << 20) / unit.count)
            let t0 = Date()
            _ = PromptCleaner.preprocess(small)
            let t1 = Date()
            _ = PromptCleaner.preprocess(large)
            let smallTime = t1.timeIntervalSince(t0), largeTime = Date().timeIntervalSince(t1)
            // 52x the input: linear is ~52x; quadratic would be ~2700x. Allow generous noise.
            XCTAssertLessThan(largeTime, max(smallTime, 0.05) * 200, "unit \(unit.debugDescription): \(smallTime) s → \(largeTime) s")
            XCTAssertLessThan(largeTime, 120, "unit \(unit.debugDescription)")
            print("cleaner timing: unit \(unit.debugDescription) 20 kB \(smallTime) s, 1 MB \(largeTime) s")
        }
    }
}
