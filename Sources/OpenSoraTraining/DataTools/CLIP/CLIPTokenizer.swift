// Reference: OpenAI clip/simple_tokenizer.py (bytes_to_unicode, bpe, the token pattern, whitespace_clean) and
// clip/clip.py (tokenize(truncate=True): start + tokens + end, cut to 77 with the end token kept, zero padding);
// the Hugging Face folder's vocab.json + merges.txt. spec/tools.md §9.
import Foundation
import OpenSora

/// CLIP's byte-level BPE: text cleaned (NFC, whitespace runs to one space, trimmed, lowercased), split by CLIP's
/// pattern, each piece's UTF-8 bytes mapped to printable characters, merged by rank with `</w>` closing a word.
/// ftfy's mojibake repair and OpenAI's HTML unescaping are not reproduced (prompts are taken as given).
public struct CLIPTokenizer: Sendable {
    public static let contextLength = 77
    public static let startToken = "<|startoftext|>", endToken = "<|endoftext|>"

    let vocabulary: [String: Int32]
    let ranks: [String: Int]
    public let startID: Int32
    public let endID: Int32
    static let byteCharacters: [Character] = bytesToUnicode()
    static let pattern = try! NSRegularExpression(  // a constant pattern: it compiles
        pattern: #"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"#,
        options: [.caseInsensitive])

    /// A Hugging Face CLIP folder's `vocab.json` and `merges.txt` (the first line, `#version`, skipped).
    public init(folder: String) throws {
        let vocabPath = (folder as NSString).appendingPathComponent("vocab.json")
        let mergesPath = (folder as NSString).appendingPathComponent("merges.txt")
        guard let vocabData = FileManager.default.contents(atPath: vocabPath),
              let vocab = try? JSONDecoder().decode([String: Int32].self, from: vocabData) else {
            throw OpenSoraError.invalidInput("\(vocabPath): missing or not a CLIP vocab.json (a JSON object of token → id)")
        }
        guard let merges = try? String(contentsOfFile: mergesPath, encoding: .utf8) else {
            throw OpenSoraError.invalidInput("\(mergesPath): missing; expected CLIP's merges.txt (one 'a b' pair a line)")
        }
        let pairs = merges.split(separator: "\n", omittingEmptySubsequences: true).filter { !$0.hasPrefix("#version") }
        try self.init(vocabulary: vocab, merges: pairs.map(String.init), source: folder)
    }

    init(vocabulary: [String: Int32], merges: [String], source: String) throws {
        guard let start = vocabulary[Self.startToken], let end = vocabulary[Self.endToken] else {
            throw OpenSoraError.invalidInput("\(source): the vocabulary lacks \(Self.startToken) or \(Self.endToken)")
        }
        self.vocabulary = vocabulary
        (startID, endID) = (start, end)
        var ranks = [String: Int]()
        for (i, line) in merges.enumerated() where ranks[line] == nil { ranks[line] = i }
        self.ranks = ranks
    }

    /// `clip.tokenize(text, truncate=True)`: 77 ids, start and end included, zeros after.
    public func encode(_ text: String) -> [Int32] {
        var ids = [startID] + tokens(text) + [endID]
        if ids.count > Self.contextLength {
            ids = Array(ids.prefix(Self.contextLength))
            ids[Self.contextLength - 1] = endID
        }
        return ids + Array(repeating: 0, count: Self.contextLength - ids.count)
    }

    /// The BPE ids of cleaned `text`, without start and end.
    public func tokens(_ text: String) -> [Int32] {
        let cleaned = Self.clean(text)
        let range = NSRange(cleaned.startIndex..., in: cleaned)
        return Self.pattern.matches(in: cleaned, range: range).flatMap { match -> [Int32] in
            guard let r = Range(match.range, in: cleaned) else { return [] }
            let piece = String(cleaned[r]).utf8.map { String(Self.byteCharacters[Int($0)]) }
            return bpe(piece).compactMap { vocabulary[$0] }
        }
    }

    /// NFC, whitespace runs to one space, trimmed, lowercased (ftfy's default normalisation plus `whitespace_clean`).
    static func clean(_ text: String) -> String {
        let collapsed = text.precomposedStringWithCanonicalMapping
            .replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        return collapsed.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// The lowest-ranked adjacent pair merged everywhere, repeatedly, until no pair has a rank.
    func bpe(_ characters: [String]) -> [String] {
        guard var word = characters.isEmpty ? nil : characters else { return [] }
        word[word.count - 1] += "</w>"
        while word.count > 1 {
            var best: (rank: Int, first: String, second: String)?
            for i in 0..<(word.count - 1) {
                if let rank = ranks[word[i] + " " + word[i + 1]], rank < (best?.rank ?? .max) {
                    best = (rank, word[i], word[i + 1])
                }
            }
            guard let best else { break }
            var merged = [String](), i = 0
            while i < word.count {
                if i + 1 < word.count, word[i] == best.first, word[i + 1] == best.second {
                    merged.append(best.first + best.second)
                    i += 2
                } else {
                    merged.append(word[i])
                    i += 1
                }
            }
            word = merged
        }
        return word
    }

    /// GPT-2's reversible table: printable bytes map to themselves, the rest to U+0100 onwards.
    static func bytesToUnicode() -> [Character] {
        let printable = Array(33...126) + Array(161...172) + Array(174...255)
        var table = [Character](repeating: " ", count: 256), extra = 0
        for b in 0..<256 {
            if printable.contains(b) {
                table[b] = Character(Unicode.Scalar(UInt8(b)))
            } else {
                table[b] = Character(Unicode.Scalar(256 + extra)!)
                extra += 1
            }
        }
        return table
    }
}
