// Reference: transformers models/t5/tokenization_t5.py (T5Tokenizer, legacy=True, extra_ids=100),
// tokenization_utils.py (added-token splitting); spec/t5.md §3.
import Foundation

/// The T5 tokenizer as Open-Sora calls it: special-token strings are split out first
/// (`<extra_id_k>` also eats the whitespace around it), each remaining chunk is normalised and
/// segmented by the SentencePiece Unigram model, ids are truncated to max_length − 1, `</s>` is
/// appended and the result padded with `<pad>`.
public struct T5Tokenizer: Sendable {
    public let model: SentencePieceModel
    public let padID = 0
    public let eosID = 1
    public let extraIDCount: Int
    private let normalizer: SentencePieceNormalizer
    private let segmenter: UnigramSegmenter
    private let pieceIDs: [String: Int]

    /// Token ids and attention mask of a batch, each [batch][maxLength].
    public struct Encoding: Equatable, Sendable {
        public var inputIDs: [[Int]]
        public var attentionMask: [[Int]]
    }

    public init(model: SentencePieceModel, extraIDCount: Int = 100) throws {
        self.model = model
        self.extraIDCount = extraIDCount
        normalizer = try SentencePieceNormalizer(model: model)
        segmenter = UnigramSegmenter(model: model)
        var ids = [String: Int]()
        for (i, p) in model.pieces.enumerated() where ids[p.text] == nil { ids[p.text] = i }
        pieceIDs = ids
    }

    /// Reads `spiece.model`; malformed or truncated files throw with the reason.
    public init(contentsOf path: String, extraIDCount: Int = 100) throws {
        try self.init(model: SentencePieceModel(contentsOf: path), extraIDCount: extraIDCount)
    }

    /// All ids, pieces plus the sentinels: `<extra_id_k>` = pieces + extraIDCount − 1 − k.
    public var count: Int { model.pieces.count + extraIDCount }

    public func extraID(_ k: Int) -> Int { model.pieces.count + extraIDCount - 1 - k }

    /// The added tokens the splitter recognises, with whether surrounding whitespace is stripped.
    private var specialTokens: [(text: String, id: Int, stripsWhitespace: Bool)] {
        var tokens = [("<pad>", padID, false), ("</s>", eosID, false)]
        if model.pieces.indices.contains(model.unknownID) { tokens.append((model.pieces[model.unknownID].text, model.unknownID, false)) }
        tokens += (0..<extraIDCount).map { ("<extra_id_\($0)>", extraID($0), true) }
        return tokens
    }

    /// Piece ids of one text, without `</s>` or padding.
    public func tokenize(_ text: String) -> [Int] {
        var ids = [Int]()
        for chunk in splitOnSpecialTokens(text) {
            switch chunk {
            case .special(let id): ids.append(id)
            case .text(let t):
                let normalized = normalizer.normalize(t)
                for piece in segmenter.segment(normalized) {
                    // A merged unknown run is not a piece: it maps to <unk>.
                    let surface = String(decoding: normalized[piece.range], as: UTF8.self)
                    ids.append(piece.id == segmenter.unknownID ? segmenter.unknownID : (pieceIDs[surface] ?? piece.id))
                }
            }
        }
        return ids
    }

    /// Open-Sora's call: max_length, padding to max_length, truncation, special tokens, mask.
    public func encode(_ texts: [String], maxLength: Int = 300) throws -> Encoding {
        guard maxLength >= 1 else { throw OpenSoraError.invalidInput("tokenizer: max_length \(maxLength) must be at least 1") }
        var result = Encoding(inputIDs: [], attentionMask: [])
        for text in texts {
            var ids = Array(tokenize(text).prefix(maxLength - 1))
            if ids.last != eosID { ids.append(eosID) }
            let valid = ids.count
            ids += Array(repeating: padID, count: maxLength - valid)
            result.inputIDs.append(ids)
            result.attentionMask.append(Array(repeating: 1, count: valid) + Array(repeating: 0, count: maxLength - valid))
        }
        return result
    }

    /// Text of `ids`: pieces joined with `▁` as spaces; special tokens (`<unk>` included, as in
    /// Hugging Face) dropped when asked, else written out.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) -> String {
        var text = "", words = ""
        func flush() {
            var s = words.replacingOccurrences(of: "\u{2581}", with: " ")
            if model.addDummyPrefix, s.hasPrefix(" ") { s.removeFirst() }
            text += s
            words = ""
        }
        for id in ids {
            if let special = specialTokens.first(where: { $0.id == id }) {
                if !skipSpecialTokens {
                    flush()
                    text += special.text
                }
                continue
            }
            if model.pieces.indices.contains(id) { words += model.pieces[id].text }
        }
        flush()
        return text
    }

    enum Chunk: Equatable { case text(String), special(Int) }

    /// Splits on the longest special-token match at each position; whitespace next to a token
    /// that strips it (the sentinels) is removed from the neighbouring chunks.
    func splitOnSpecialTokens(_ text: String) -> [Chunk] {
        let tokens = specialTokens
        var chunks = [Chunk](), current = "", stripNext = false
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.first == "<", let match = tokens.filter({ rest.hasPrefix($0.text) }).max(by: { $0.text.count < $1.text.count }) {
                if match.stripsWhitespace { while current.last?.isWhitespace == true { current.removeLast() } }
                if !current.isEmpty { chunks.append(.text(current)) }
                current = ""
                chunks.append(.special(match.id))
                rest = rest.dropFirst(match.text.count)
                stripNext = match.stripsWhitespace
                continue
            }
            if stripNext, rest.first?.isWhitespace == true {
                rest = rest.dropFirst()
                continue
            }
            stripNext = false
            current.append(rest.removeFirst())
        }
        if !current.isEmpty { chunks.append(.text(current)) }
        return chunks
    }
}
