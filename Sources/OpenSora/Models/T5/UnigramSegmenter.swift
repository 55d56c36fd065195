// Reference: google/sentencepiece src/unigram_model.cc (Model::EncodeOptimized),
// src/sentencepiece_processor.cc (unknown merging); spec/t5.md §3.4.

/// Viterbi segmentation of normalised text into the pieces of a Unigram model: the path of maximal
/// total score (float32), ties kept by the first candidate found, unknown characters scored
/// min_score − 10 and consecutive unknowns merged into one.
struct UnigramSegmenter {
    private let ids: [[UInt8]: Int]
    private let scores: [Float]
    private let userDefined: Set<Int>
    private let maxPieceBytes: Int
    private let minScore: Float
    private let maxScore: Float
    let unknownID: Int

    init(model: SentencePieceModel) {
        var ids = [[UInt8]: Int](), longest = 0
        var userDefined = Set<Int>()
        for (i, p) in model.pieces.enumerated() where [.normal, .userDefined].contains(p.type) {
            let bytes = Array(p.text.utf8)
            guard !bytes.isEmpty, ids[bytes] == nil else { continue }
            ids[bytes] = i
            longest = max(longest, bytes.count)
            if p.type == .userDefined { userDefined.insert(i) }
        }
        self.ids = ids
        self.userDefined = userDefined
        maxPieceBytes = longest
        scores = model.pieces.map(\.score)
        let normal = model.pieces.filter { $0.type == .normal }.map(\.score)
        minScore = normal.min() ?? 0
        maxScore = normal.max() ?? 0
        unknownID = model.unknownID
    }

    /// Piece ids with their byte ranges in `text`.
    func segment(_ text: [UInt8]) -> [(id: Int, range: Range<Int>)] {
        let n = text.count
        guard n > 0 else { return [] }
        struct Node { var id = -1; var score: Float = 0; var start = -1 }
        var best = [Node](repeating: Node(), count: n + 1)
        let unknownScore = minScore - 10
        var start = 0
        while start < n {
            let here = best[start].score
            let charLength = max(1, min(utf8Length(text, at: start), n - start))
            var hasSingle = false
            var end = start + 1
            while end <= min(n, start + maxPieceBytes) {
                if let id = ids[Array(text[start..<end])] {
                    let length = end - start
                    let score = userDefined.contains(id) ? Float(length) * maxScore - 0.1 : scores[id]
                    let candidate = score + here
                    if best[end].start == -1 || candidate > best[end].score { best[end] = Node(id: id, score: candidate, start: start) }
                    if length == charLength { hasSingle = true }
                }
                end += 1
            }
            if !hasSingle {
                let candidate = unknownScore + here
                let e = start + charLength
                if best[e].start == -1 || candidate > best[e].score { best[e] = Node(id: unknownID, score: candidate, start: start) }
            }
            start += charLength
        }
        var result = [(id: Int, range: Range<Int>)]()
        var e = n
        while e > 0 {
            let node = best[e]
            result.append((node.id, node.start..<e))
            e = node.start
        }
        result.reverse()
        // Merge runs of unknowns into one.
        var merged = [(id: Int, range: Range<Int>)]()
        for piece in result {
            if piece.id == unknownID, let last = merged.last, last.id == unknownID {
                merged[merged.count - 1].range = last.range.lowerBound..<piece.range.upperBound
            } else {
                merged.append(piece)
            }
        }
        return merged
    }
}
