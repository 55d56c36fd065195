import Foundation

/// Reading and writing safetensors (`Safetensors.swift` adds load and save). The header is
/// validated here first, so a truncated or corrupt file is reported by name and reason instead of
/// surfacing later as a failed read inside MLX. Only Foundation is used, so the fuzzer builds it alone.
public enum Safetensors {
    /// Headers above this are refused before being read (real ones are kilobytes to a few megabytes).
    public static let maxHeaderLength = 100_000_000
}

/// One entry of a safetensors header, read without touching the data.
public struct SafetensorsEntry: Equatable, Sendable {
    public let name: String
    public let dtype: DType
    public let shape: [Int]
}

extension Safetensors {
    /// Parses and checks the header: its length, JSON, dtypes, and that every tensor's byte range
    /// matches its shape and lies inside the file. Every number from the file is checked arithmetic.
    public static func header(of path: String) throws -> (entries: [SafetensorsEntry], metadata: [String: String]) {
        let bad = { (reason: String) in TensorError.badFile(path: path, reason: reason) }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw bad("is a folder; expected a .safetensors file (a model folder is read by the checkpoint loader)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw bad("cannot open for reading") }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), let fileSize = Int(exactly: end) else { throw bad("cannot find the file's length") }
        try? handle.seek(toOffset: 0)
        guard fileSize >= 8, let prefix = try? handle.read(upToCount: 8), prefix.count == 8 else {
            throw bad("not a safetensors file: \(fileSize) bytes, shorter than the 8-byte header length")
        }
        let headerLength = try self.headerLength([UInt8](prefix), fileSize: fileSize, path: path)
        guard let json = try? handle.read(upToCount: headerLength), json.count == headerLength else {
            throw bad("short read of the \(headerLength)-byte header")
        }
        return try parseHeader(json, dataSize: fileSize - 8 - headerLength, path: path)
    }

    /// The same checks over a whole file held in memory (the fuzzer's entry point).
    public static func header(ofBytes bytes: [UInt8], path: String = "<memory>") throws
        -> (entries: [SafetensorsEntry], metadata: [String: String]) {
        guard bytes.count >= 8 else {
            throw TensorError.badFile(path: path, reason: "not a safetensors file: \(bytes.count) bytes, shorter than the 8-byte header length")
        }
        let headerLength = try self.headerLength(Array(bytes[0..<8]), fileSize: bytes.count, path: path)
        return try parseHeader(Data(bytes[8..<(8 + headerLength)]), dataSize: bytes.count - 8 - headerLength, path: path)
    }

    /// The little-endian u64 length prefix, checked against the file's real length.
    static func headerLength(_ prefix: [UInt8], fileSize: Int, path: String) throws -> Int {
        let raw = prefix.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard let length = Int(exactly: raw), length <= fileSize - 8, length <= maxHeaderLength else {
            throw TensorError.badFile(path: path, reason: "header length \(raw) exceeds the file (\(fileSize) bytes) "
                + "or the \(maxHeaderLength)-byte limit: truncated or not safetensors")
        }
        return length
    }

    static func parseHeader(_ headerData: Data, dataSize: Int, path: String) throws
        -> (entries: [SafetensorsEntry], metadata: [String: String]) {
        let bad = { (reason: String) in TensorError.badFile(path: path, reason: reason) }
        guard let json = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any] else {
            throw bad("header is not a JSON object")
        }
        var entries = [SafetensorsEntry](), metadata = [String: String]()
        for (name, value) in json {
            if name == "__metadata__" {
                for (k, v) in value as? [String: Any] ?? [:] { metadata[k] = v as? String ?? "\(v)" }
                continue
            }
            guard let info = value as? [String: Any], let typeName = info["dtype"] as? String,
                  let shape = integers(info["shape"]), let offsets = integers(info["data_offsets"]), offsets.count == 2
            else { throw bad("tensor '\(name)' has a malformed header entry (needs dtype, shape and two data_offsets)") }
            guard let dtype = DType(safetensorsName: typeName) else {
                throw bad("tensor '\(name)' has dtype \(typeName); supported: \(DType.allCases.map(\.safetensorsName))")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw bad("tensor '\(name)' has a negative dimension in shape \(shape)") }
            guard let expected = byteCount(shape, elementSize: dtype.size) else {
                throw bad("tensor '\(name)' of shape \(shape) \(typeName): its byte count overflows")
            }
            let (span, overflow) = offsets[1].subtractingReportingOverflow(offsets[0])
            guard offsets[0] >= 0, !overflow, span == expected else {
                throw bad("tensor '\(name)' of shape \(shape) \(typeName) needs \(expected) bytes, header gives data_offsets \(offsets)")
            }
            guard offsets[1] <= dataSize else {
                throw bad("tensor '\(name)' ends at byte \(offsets[1]) of a \(dataSize)-byte data section: file truncated")
            }
            entries.append(SafetensorsEntry(name: name, dtype: dtype, shape: shape))
        }
        return (entries.sorted { $0.name < $1.name }, metadata)
    }

    /// Integers only (NSNumber bridging refuses 2.5 and values beyond Int); nil for anything else.
    static func integers(_ value: Any?) -> [Int]? { value as? [Int] }

    /// shape product × element size, or nil when it overflows Int.
    public static func byteCount(_ shape: [Int], elementSize: Int) -> Int? {
        var total = elementSize
        for d in shape {
            let (next, overflow) = total.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            total = next
        }
        return total
    }
}
