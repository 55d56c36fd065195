/// Text built one scalar at a time as UTF-8 bytes: linear, where appending to a String's scalar
/// view was measured to slow down with the string's length (132 s for a 1 MB prompt).
struct ScalarBuffer {
    private(set) var bytes = [UInt8]()

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func append(_ u: Unicode.Scalar) { UTF8.encode(u) { bytes.append($0) } }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
