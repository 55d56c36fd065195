// Reference: protobuf wire format (proto2), as sentencepiece_model.proto is serialised.

/// A minimal protobuf wire-format reader: varints, fixed32/64 and length-delimited fields, with
/// unknown fields skipped by wire type. Truncated or malformed input throws.
struct ProtobufReader {
    enum WireType: UInt64 { case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5 }

    struct Malformed: Error { let reason: String }

    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = 0
        end = bytes.count
    }

    init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard position < end else { throw Malformed(reason: "truncated varint at byte \(position)") }
            let b = bytes[position]
            position += 1
            guard shift < 64 else { throw Malformed(reason: "varint longer than 10 bytes at byte \(position)") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// The next field's number and wire type, or nil at the end.
    mutating func fieldHeader() throws -> (number: Int, type: WireType)? {
        guard !isAtEnd else { return nil }
        let key = try varint()
        guard let type = WireType(rawValue: key & 7), key >> 3 > 0 else {
            throw Malformed(reason: "bad field key \(key) at byte \(position)")
        }
        return (Int(key >> 3), type)
    }

    mutating func lengthDelimited() throws -> Range<Int> {
        let n = try varint()
        guard n <= UInt64(end - position) else { throw Malformed(reason: "field of \(n) bytes overruns the message at byte \(position)") }
        let range = position..<(position + Int(n))
        position += Int(n)
        return range
    }

    mutating func fixed32() throws -> UInt32 {
        guard end - position >= 4 else { throw Malformed(reason: "truncated fixed32 at byte \(position)") }
        let v = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[position + $1]) << (8 * UInt32($1)) }
        position += 4
        return v
    }

    mutating func skip(_ type: WireType) throws {
        switch type {
        case .varint: _ = try varint()
        case .fixed64:
            guard end - position >= 8 else { throw Malformed(reason: "truncated fixed64 at byte \(position)") }
            position += 8
        case .lengthDelimited: _ = try lengthDelimited()
        case .fixed32: _ = try fixed32()
        case .startGroup, .endGroup: throw Malformed(reason: "groups are not supported (byte \(position))")
        }
    }

    func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
}
