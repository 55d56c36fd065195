import Foundation
import MLXTensor

extension TorchCheckpoint {
    /// Every tensor of the state dict, by name (float64 storages are converted to float32). The
    /// records are checked first (`records`), so every read below stays inside its storage.
    public static func load(_ path: String) throws -> [String: Tensor] {
        let (zip, records) = try records(path)
        var result = [String: Tensor]()
        for record in records { result[record.name] = try tensor(record, zip: zip) }
        return result
    }

    static func tensor(_ record: Record, zip archive: ZipArchive) throws -> Tensor {
        let ref = record.ref, dtype = ref.storage.dtype
        let tensor: Tensor
        switch readPlan(record) {
        case .bytes(let offset, let count):
            let data = try archive.read(record.entry, offset: offset, count: count)
            tensor = data.withUnsafeBytes { Tensor(bytes: $0, shape: ref.shape, dtype: dtype) }
        case .gather(let elements, let indices):
            // A strided view: gather its elements from the whole storage.
            let data = try archive.read(record.entry, offset: 0, count: elements * dtype.size)
            let storage = data.withUnsafeBytes { Tensor(bytes: $0, shape: [elements], dtype: dtype) }
            tensor = storage.take(Tensor(int32: indices), axis: 0).reshaped(ref.shape)
        }
        return try (dtype == .float64 ? tensor.asType(.float32) : tensor).checked()
    }
}
