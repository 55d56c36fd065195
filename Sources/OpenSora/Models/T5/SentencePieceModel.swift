// Reference: google/sentencepiece src/sentencepiece_model.proto (field numbers and proto2 defaults);
// spec/t5.md §3.2.
import Foundation

/// A parsed `spiece.model` (sentencepiece ModelProto): pieces with scores and types, and the
/// trainer/normaliser settings encoding needs.
public struct SentencePieceModel: Sendable {
    public enum PieceType: Int, Sendable { case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6 }

    public struct Piece: Sendable {
        public var text: String
        public var score: Float
        public var type: PieceType
    }

    public var pieces: [Piece] = []
    /// 1 = UNIGRAM (the only type this encoder implements).
    public var modelType = 1
    public var unknownID = 0
    public var byteFallback = false
    public var treatWhitespaceAsSuffix = false
    public var normalizerName = ""
    public var precompiledCharsMap: [UInt8] = []
    public var addDummyPrefix = true
    public var removeExtraWhitespaces = true
    public var escapeWhitespaces = true

    public enum LoadError: Error, CustomStringConvertible {
        case malformed(path: String, reason: String)
        case unsupported(path: String, reason: String)

        public var description: String {
            switch self {
            case .malformed(let p, let r): "\(p): not a valid sentencepiece model (\(r))"
            case .unsupported(let p, let r): "\(p): unsupported sentencepiece model (\(r))"
            }
        }
    }

    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError.malformed(path: path, reason: "cannot read the file")
        }
        do {
            try self.init(bytes: [UInt8](data))
        } catch let e as ProtobufReader.Malformed {
            throw LoadError.malformed(path: path, reason: e.reason)
        }
        guard !pieces.isEmpty else { throw LoadError.malformed(path: path, reason: "no pieces") }
        guard modelType == 1 else { throw LoadError.unsupported(path: path, reason: "model_type \(modelType); only UNIGRAM (1) is implemented") }
        guard pieces.indices.contains(unknownID) else {
            throw LoadError.malformed(path: path, reason: "unk_id \(unknownID) outside the \(pieces.count) pieces")
        }
    }

    init(bytes: [UInt8]) throws {
        var reader = ProtobufReader(bytes)
        while let (number, type) = try reader.fieldHeader() {
            switch (number, type) {
            case (1, .lengthDelimited): pieces.append(try Self.piece(bytes, try reader.lengthDelimited()))
            case (2, .lengthDelimited): try readTrainerSpec(bytes, try reader.lengthDelimited())
            case (3, .lengthDelimited): try readNormalizerSpec(bytes, try reader.lengthDelimited())
            default: try reader.skip(type)
            }
        }
    }

    static func piece(_ bytes: [UInt8], _ range: Range<Int>) throws -> Piece {
        var r = ProtobufReader(bytes, range: range)
        var p = Piece(text: "", score: 0, type: .normal)
        while let (number, type) = try r.fieldHeader() {
            switch (number, type) {
            case (1, .lengthDelimited): p.text = r.string(try r.lengthDelimited())
            case (2, .fixed32): p.score = Float(bitPattern: try r.fixed32())
            case (3, .varint):
                let raw = try r.varint()
                guard let t = Int(exactly: raw).flatMap(PieceType.init(rawValue:)) else {
                    throw ProtobufReader.Malformed(reason: "piece type \(raw); accepted: 1 (normal) to 6 (byte)")
                }
                p.type = t
            default: try r.skip(type)
            }
        }
        return p
    }

    mutating func readTrainerSpec(_ bytes: [UInt8], _ range: Range<Int>) throws {
        var r = ProtobufReader(bytes, range: range)
        while let (number, type) = try r.fieldHeader() {
            switch (number, type) {
            case (3, .varint):
                let raw = try r.varint()
                guard let type = Int(exactly: raw) else { throw ProtobufReader.Malformed(reason: "model_type \(raw); accepted: 1 (UNIGRAM)") }
                modelType = type
            case (24, .varint): treatWhitespaceAsSuffix = try r.varint() != 0
            case (35, .varint): byteFallback = try r.varint() != 0
            case (40, .varint): unknownID = Int(Int32(truncatingIfNeeded: try r.varint()))
            default: try r.skip(type)
            }
        }
    }

    mutating func readNormalizerSpec(_ bytes: [UInt8], _ range: Range<Int>) throws {
        var r = ProtobufReader(bytes, range: range)
        while let (number, type) = try r.fieldHeader() {
            switch (number, type) {
            case (1, .lengthDelimited): normalizerName = r.string(try r.lengthDelimited())
            case (2, .lengthDelimited): precompiledCharsMap = Array(bytes[try r.lengthDelimited()])
            case (3, .varint): addDummyPrefix = try r.varint() != 0
            case (4, .varint): removeExtraWhitespaces = try r.varint() != 0
            case (5, .varint): escapeWhitespaces = try r.varint() != 0
            default: try r.skip(type)
            }
        }
    }
}
