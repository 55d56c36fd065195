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
        let ref = record.ref, dtype = ref.storage.dtype, size = dtype.size
        let tensor: Tensor
        if record.isContiguous {
            let data = try archive.read(record.entry, offset: ref.offset * size, count: record.count * size)
            tensor = data.withUnsafeBytes { Tensor(bytes: $0, shape: ref.shape, dtype: dtype) }
        } else {
            // A strided view: gather its elements from the whole storage.
            let elements = record.entry.size / size
            let data = try archive.read(record.entry, offset: 0, count: elements * size)
            let storage = data.withUnsafeBytes { Tensor(bytes: $0, shape: [elements], dtype: dtype) }
            var indices = [Int32](repeating: 0, count: record.count)
            for i in indices.indices {
                var rest = i, index = ref.offset
                for d in stride(from: ref.shape.count - 1, through: 0, by: -1) {
                    index += (rest % ref.shape[d]) * ref.strides[d]
                    rest /= ref.shape[d]
                }
                indices[i] = Int32(index)
            }
            tensor = storage.take(Tensor(int32: indices), axis: 0).reshaped(ref.shape)
        }
        return try (dtype == .float64 ? tensor.asType(.float32) : tensor).checked()
    }
}
