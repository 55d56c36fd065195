import CMLX
import Foundation

/// The contents of a .safetensors file: tensors by name and the string metadata of its header.
public struct SafetensorsFile {
    public var tensors: [String: Tensor]
    public var metadata: [String: String]

    public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }
}

/// One entry of a safetensors header, read without touching the data.
public struct SafetensorsEntry: Equatable, Sendable {
    public let name: String
    public let dtype: DType
    public let shape: [Int]
}

/// Reading and writing safetensors. The header is validated here first, so a truncated or corrupt
/// file is reported by name and reason instead of surfacing later as a failed read inside MLX.
public enum Safetensors {
    /// Parses and checks the header: its length, JSON, dtypes, and that every tensor's byte range
    /// matches its shape and lies inside the file.
    public static func header(of path: String) throws -> (entries: [SafetensorsEntry], metadata: [String: String]) {
        let bad = { (reason: String) in TensorError.badFile(path: path, reason: reason) }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw bad("cannot open for reading") }
        defer { try? handle.close() }
        let fileSize = (try? handle.seekToEnd()).map { Int($0) } ?? 0
        try? handle.seek(toOffset: 0)
        guard fileSize >= 8, let prefix = try? handle.read(upToCount: 8), prefix.count == 8 else {
            throw bad("not a safetensors file: \(fileSize) bytes, shorter than the 8-byte header length")
        }
        let headerLength = prefix.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(fileSize - 8), headerLength < 100_000_000 else {
            throw bad("header length \(headerLength) exceeds the file (\(fileSize) bytes): truncated or not safetensors")
        }
        guard let headerData = try? handle.read(upToCount: Int(headerLength)), headerData.count == Int(headerLength),
              let json = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any]
        else { throw bad("header is not a JSON object") }
        let dataSize = fileSize - 8 - Int(headerLength)
        var entries = [SafetensorsEntry](), metadata = [String: String]()
        for (name, value) in json {
            if name == "__metadata__" {
                for (k, v) in value as? [String: Any] ?? [:] { metadata[k] = v as? String ?? "\(v)" }
                continue
            }
            guard let info = value as? [String: Any], let typeName = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2
            else { throw bad("tensor '\(name)' has a malformed header entry") }
            guard let dtype = DType(safetensorsName: typeName) else {
                throw bad("tensor '\(name)' has dtype \(typeName); supported: \(DType.allCases.map(\.safetensorsName))")
            }
            let expected = shape.reduce(1, *) * dtype.size
            guard offsets[0] >= 0, offsets[1] - offsets[0] == expected, shape.allSatisfy({ $0 >= 0 }) else {
                throw bad("tensor '\(name)' of shape \(shape) \(typeName) needs \(expected) bytes, header gives \(offsets)")
            }
            guard offsets[1] <= dataSize else {
                throw bad("tensor '\(name)' ends at byte \(offsets[1]) of a \(dataSize)-byte data section: file truncated")
            }
            entries.append(SafetensorsEntry(name: name, dtype: dtype, shape: shape))
        }
        return (entries.sorted { $0.name < $1.name }, metadata)
    }

    /// Loads every tensor (lazily: data is read when a tensor is first evaluated) and the metadata.
    public static func load(_ path: String) throws -> SafetensorsFile {
        _ = try header(of: path)
        var raw: cmlx_tensor_file? = nil
        do { try check(cmlx_safetensors_load(&raw, path)) } catch {
            throw TensorError.badFile(path: path, reason: "\(error)")
        }
        defer { cmlx_tensor_file_free(raw) }
        var file = SafetensorsFile(tensors: [:])
        for i in 0..<cmlx_tensor_file_count(raw) {
            let name = String(cString: cmlx_tensor_file_name(raw, i))
            file.tensors[name] = Tensor.op { cmlx_tensor_file_array($0, raw, i) }
        }
        for i in 0..<cmlx_tensor_file_metadata_count(raw) {
            file.metadata[String(cString: cmlx_tensor_file_metadata_key(raw, i))] =
                String(cString: cmlx_tensor_file_metadata_value(raw, i))
        }
        return file
    }

    /// Writes atomically: a temporary file beside the target, renamed into place when complete.
    public static func save(_ file: SafetensorsFile, to path: String) throws {
        let names = file.tensors.keys.sorted()
        let tensors = names.map { file.tensors[$0]! }
        for t in tensors { try t.checked() }
        let metaKeys = file.metadata.keys.sorted()
        let target = URL(fileURLWithPath: path)
        let temp = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).tmp.safetensors")
        do {
            try withCStrings(names) { n in
                try withCStrings(metaKeys) { k in
                    try withCStrings(metaKeys.map { file.metadata[$0]! }) { v in
                        try withHandles(tensors) {
                            try check(cmlx_safetensors_save(temp.path, n, $0, names.count, k, v, metaKeys.count))
                        }
                    }
                }
            }
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
            try FileManager.default.moveItem(at: temp, to: target)
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw TensorError.badFile(path: path, reason: "cannot write: \(error)")
        }
    }
}

/// Calls `body` with a C array of C strings.
func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) throws -> R) rethrows -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) } + [nil]
    return try pointers.withUnsafeBufferPointer { try body($0.baseAddress!) }
}

extension Tensor {
    /// The tensors of a safetensors file, by name.
    public static func load(safetensors path: String) throws -> [String: Tensor] {
        try Safetensors.load(path).tensors
    }

    /// Saves tensors (and string metadata) to a safetensors file, atomically.
    public static func save(safetensors path: String, _ tensors: [String: Tensor], metadata: [String: String] = [:]) throws {
        try Safetensors.save(SafetensorsFile(tensors: tensors, metadata: metadata), to: path)
    }
}
