// Reference: google/sentencepiece src/normalizer.cc (Normalize, NormalizePrefix),
// third_party/darts_clone/darts.h; spec/t5.md §3.3.

/// sentencepiece's normaliser: the precompiled character map (a Darts-clone double-array trie of
/// byte sequences → replacement strings, e.g. NFKC), whitespace collapsing, the dummy prefix `▁`.
struct SentencePieceNormalizer {
    private let units: [UInt32]
    private let replacements: [UInt8]
    let addDummyPrefix: Bool
    let removeExtraWhitespaces: Bool
    let escapeWhitespaces: Bool
    let treatWhitespaceAsSuffix: Bool

    static let spaceSymbol: [UInt8] = Array("\u{2581}".utf8)

    init(model: SentencePieceModel) throws {
        addDummyPrefix = model.addDummyPrefix
        removeExtraWhitespaces = model.removeExtraWhitespaces
        escapeWhitespaces = model.escapeWhitespaces
        treatWhitespaceAsSuffix = model.treatWhitespaceAsSuffix
        let map = model.precompiledCharsMap
        guard !map.isEmpty else {
            units = []
            replacements = []
            return
        }
        guard map.count >= 4 else { throw ProtobufReader.Malformed(reason: "precompiled_charsmap of \(map.count) bytes") }
        let trieSize = Int(map[0]) | Int(map[1]) << 8 | Int(map[2]) << 16 | Int(map[3]) << 24
        guard trieSize % 4 == 0, 4 + trieSize <= map.count else {
            throw ProtobufReader.Malformed(reason: "precompiled_charsmap trie of \(trieSize) bytes in \(map.count)")
        }
        units = stride(from: 4, to: 4 + trieSize, by: 4).map { i in
            UInt32(map[i]) | UInt32(map[i + 1]) << 8 | UInt32(map[i + 2]) << 16 | UInt32(map[i + 3]) << 24
        }
        replacements = Array(map[(4 + trieSize)...])
    }

    // Darts-clone unit accessors.
    private func hasLeaf(_ u: UInt32) -> Bool { (u >> 8) & 1 == 1 }
    private func value(_ u: UInt32) -> Int { Int(u & 0x7FFF_FFFF) }
    private func label(_ u: UInt32) -> UInt32 { u & 0x8000_00FF }
    private func offset(_ u: UInt32) -> Int { Int((u >> 10) << ((u & (1 << 9)) >> 6)) }

    /// The longest trie match at `start`: (replacement offset, consumed bytes).
    private func longestMatch(_ s: [UInt8], from start: Int) -> (value: Int, length: Int)? {
        guard !units.isEmpty else { return nil }
        var best: (Int, Int)? = nil
        var node = offset(units[0])
        var i = start
        while i < s.count {
            node ^= Int(s[i])
            guard node >= 0, node < units.count else { break }
            let u = units[node]
            guard label(u) == UInt32(s[i]) else { break }
            node ^= offset(u)
            if hasLeaf(u), node < units.count { best = (value(units[node]), i + 1 - start) }
            i += 1
        }
        return best
    }

    /// One normalised unit at `start`: replacement bytes and consumed length. Unmatched text passes
    /// through one UTF-8 character at a time; an invalid byte becomes U+FFFD.
    func normalizePrefix(_ s: [UInt8], from start: Int) -> (bytes: ArraySlice<UInt8>, consumed: Int) {
        if let (v, length) = longestMatch(s, from: start), v < replacements.count {
            var end = v
            while end < replacements.count && replacements[end] != 0 { end += 1 }
            return (replacements[v..<end], length)
        }
        let length = utf8Length(s, at: start)
        if length == 0 { return (ArraySlice([0xEF, 0xBF, 0xBD]), 1) }
        return (s[start..<(start + length)], length)
    }

    /// Normalises UTF-8 text as sentencepiece does before segmentation.
    func normalize(_ text: String) -> [UInt8] {
        let s = Array(text.utf8)
        var position = 0
        if removeExtraWhitespaces {
            while position < s.count {
                let p = normalizePrefix(s, from: position)
                guard Array(p.bytes) == [0x20] else { break }
                position += p.consumed
            }
        }
        guard position < s.count else { return [] }
        var out = [UInt8]()
        let space: [UInt8] = escapeWhitespaces ? Self.spaceSymbol : [0x20]
        if !treatWhitespaceAsSuffix && addDummyPrefix { out += space }
        var previousSpace = removeExtraWhitespaces
        while position < s.count {
            let p = normalizePrefix(s, from: position)
            var piece = p.bytes
            while previousSpace, piece.first == 0x20 { piece = piece.dropFirst() }
            if !piece.isEmpty {
                for b in piece { if escapeWhitespaces && b == 0x20 { out += Self.spaceSymbol } else { out.append(b) } }
                previousSpace = piece.last == 0x20
            }
            position += p.consumed
            if !removeExtraWhitespaces { previousSpace = false }
        }
        if removeExtraWhitespaces {
            while out.count >= space.count && Array(out.suffix(space.count)) == space { out.removeLast(space.count) }
        }
        return out
    }
}

/// Bytes of the valid UTF-8 character at `i`, or 0 when the bytes there are not valid UTF-8.
func utf8Length(_ s: [UInt8], at i: Int) -> Int {
    let b = s[i]
    let (n, minimum): (Int, UInt32)
    switch b {
    case 0x00..<0x80: return 1
    case 0xC0..<0xE0: (n, minimum) = (2, 0x80)
    case 0xE0..<0xF0: (n, minimum) = (3, 0x800)
    case 0xF0..<0xF8: (n, minimum) = (4, 0x10000)
    default: return 0
    }
    guard i + n <= s.count else { return 0 }
    var scalar = UInt32(b) & (0xFF >> (n + 1))
    for k in 1..<n {
        guard s[i + k] & 0xC0 == 0x80 else { return 0 }
        scalar = scalar << 6 | UInt32(s[i + k] & 0x3F)
    }
    guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return 0 }
    return n
}
