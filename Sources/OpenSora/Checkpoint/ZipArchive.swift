// Reference: PKWARE APPNOTE 6.3 (local/central headers, ZIP64 end of central directory and extra field).
import Foundation

/// A read-only view of an uncompressed ("stored") zip archive, as `torch.save` writes it; ZIP64
/// is supported because checkpoint shards exceed 4 GiB.
struct ZipArchive {
    struct Entry {
        let name: String
        let size: Int
        let dataOffset: Int
    }

    let path: String
    let entries: [String: Entry]
    private let handle: FileHandle

    struct Malformed: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): not a readable PyTorch checkpoint (\(reason))" }
    }

    init(path: String) throws {
        self.path = path
        func fail(_ r: String) -> Malformed { Malformed(path: path, reason: r) }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw fail("is a folder; expected a pytorch_model.bin file (a model folder is read by ModelFolder)")
        }
        guard let h = FileHandle(forReadingAtPath: path) else { throw fail("cannot open for reading") }
        handle = h
        guard let end = try? h.seekToEnd(), let fileSize = Int(exactly: end) else { throw fail("cannot find the file's length") }
        func read(_ offset: Int, _ count: Int) throws -> [UInt8] {
            guard offset >= 0, count >= 0, offset <= fileSize, count <= fileSize - offset else {
                throw fail("reference to \(count) bytes at \(offset) past the end of the \(fileSize)-byte file (truncated?)")
            }
            guard (try? h.seek(toOffset: UInt64(offset))) != nil, let d = try? h.read(upToCount: count) ?? Data(), d.count == count else {
                throw fail("short read at byte \(offset)")
            }
            return [UInt8](d)
        }
        /// A 64-bit field as an Int, or an error naming it (values above Int.max are not real offsets).
        func int(_ v: UInt64, _ what: String) throws -> Int {
            guard let i = Int(exactly: v) else { throw fail("\(what) \(v) exceeds any file") }
            return i
        }
        // End of central directory: the last 0x06054b50 record in the final 64 KiB + 22 bytes.
        let tailLength = min(fileSize, 65_557)
        let tail = try read(fileSize - tailLength, tailLength)
        guard let eocd = stride(from: tail.count - 22, through: 0, by: -1).first(where: { le32(tail, $0) == 0x0605_4B50 }) else {
            throw fail("no zip end-of-central-directory record")
        }
        var count = Int(le16(tail, eocd + 10)), directorySize = Int(le32(tail, eocd + 12)), directoryOffset = Int(le32(tail, eocd + 16))
        if count == 0xFFFF || directoryOffset == 0xFFFF_FFFF || directorySize == 0xFFFF_FFFF {
            let locator = eocd - 20
            guard locator >= 0, le32(tail, locator) == 0x0706_4B50 else { throw fail("ZIP64 locator missing") }
            let record = try read(int(le64(tail, locator + 8), "ZIP64 end record offset"), 56)
            guard le32(record, 0) == 0x0606_4B50 else { throw fail("ZIP64 end record missing") }
            count = try int(le64(record, 32), "ZIP64 number of entries")
            directorySize = try int(le64(record, 40), "ZIP64 central directory size")
            directoryOffset = try int(le64(record, 48), "ZIP64 central directory offset")
        }
        guard directoryOffset <= fileSize, directorySize <= fileSize - directoryOffset else {
            throw fail("central directory of \(directorySize) bytes at \(directoryOffset) lies outside the \(fileSize)-byte file")
        }
        // Each entry takes at least 46 bytes, so a larger count cannot be real.
        guard count <= directorySize / 46 else { throw fail("\(count) entries cannot fit a \(directorySize)-byte central directory") }
        let directory = try read(directoryOffset, directorySize)
        var entries = [String: Entry](), p = 0
        for _ in 0..<count {
            guard p + 46 <= directory.count, le32(directory, p) == 0x0201_4B50 else { throw fail("bad central directory entry") }
            let method = le16(directory, p + 10)
            var size = Int(le32(directory, p + 24)), compressed = Int(le32(directory, p + 20))
            let nameLength = Int(le16(directory, p + 28)), extraLength = Int(le16(directory, p + 30)), commentLength = Int(le16(directory, p + 32))
            var localOffset = Int(le32(directory, p + 42))
            guard p + 46 + nameLength + extraLength <= directory.count else { throw fail("central directory truncated") }
            let name = String(decoding: directory[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            // ZIP64 extra field: the 0xFFFFFFFF values follow in the order uncompressed, compressed, offset.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = le16(directory, e), length = Int(le16(directory, e + 2))
                let fieldEnd = min(e + 4 + length, extraEnd)
                if id == 1 {
                    var q = e + 4
                    func next(_ what: String) throws -> Int {
                        guard q + 8 <= fieldEnd else { throw fail("ZIP64 extra field of entry \(name) ends before its \(what)") }
                        defer { q += 8 }
                        return try int(le64(directory, q), "entry \(name): ZIP64 \(what)")
                    }
                    if size == 0xFFFF_FFFF { size = try next("size") }
                    if compressed == 0xFFFF_FFFF { compressed = try next("compressed size") }
                    if localOffset == 0xFFFF_FFFF { localOffset = try next("local header offset") }
                }
                e += 4 + length
            }
            guard method == 0, compressed == size else { throw fail("entry \(name) is compressed (method \(method)); torch.save writes stored entries") }
            let local = try read(localOffset, 30)
            guard le32(local, 0) == 0x0403_4B50 else { throw fail("bad local header for \(name)") }
            let dataOffset = localOffset + 30 + Int(le16(local, 26)) + Int(le16(local, 28))  // ≤ fileSize + 2^17: no overflow
            guard dataOffset <= fileSize, size <= fileSize - dataOffset else {
                throw fail("entry \(name) of \(size) bytes extends past the end of the file (truncated)")
            }
            entries[name] = Entry(name: name, size: size, dataOffset: dataOffset)
            p += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// `count` bytes of an entry from `offset` (within the entry).
    func read(_ entry: Entry, offset: Int = 0, count: Int? = nil) throws -> Data {
        let n = count ?? (offset >= 0 ? entry.size - offset : -1)
        guard offset >= 0, n >= 0, offset <= entry.size, n <= entry.size - offset else {
            throw Malformed(path: path, reason: "read of \(n) bytes at \(offset) outside entry \(entry.name) of \(entry.size)")
        }
        guard (try? handle.seek(toOffset: UInt64(entry.dataOffset + offset))) != nil, let d = try? handle.read(upToCount: n) ?? Data(),
              d.count == n
        else { throw Malformed(path: path, reason: "short read in \(entry.name)") }
        return d
    }
}

func le16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
func le32(_ b: [UInt8], _ i: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[i + $1]) << (8 * UInt32($1)) } }
func le64(_ b: [UInt8], _ i: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[i + $1]) << (8 * UInt64($1)) } }
