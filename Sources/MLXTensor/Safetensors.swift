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

extension Safetensors {
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

    /// Writes atomically (AtomicFile): the old file stays whole until the new one is flushed and
    /// renamed over it, and the folder entry is flushed too, since checkpoints must survive a crash.
    public static func save(_ file: SafetensorsFile, to path: String) throws {
        let names = file.tensors.keys.sorted()
        let tensors = names.map { file.tensors[$0]! }
        for t in tensors { try t.checked() }
        let metaKeys = file.metadata.keys.sorted()
        do {
            // MLX appends ".safetensors" to a name without it, so the temporary name keeps the extension.
            try AtomicFile.write(to: path, temporarySuffix: ".tmp.safetensors", durable: true) { temp in
                try withCStrings(names) { n in
                    try withCStrings(metaKeys) { k in
                        try withCStrings(metaKeys.map { file.metadata[$0]! }) { v in
                            try withHandles(tensors) {
                                try check(cmlx_safetensors_save(temp, n, $0, names.count, k, v, metaKeys.count))
                            }
                        }
                    }
                }
            }
        } catch {
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
