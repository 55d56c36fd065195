// Reference: torch/serialization.py (zip format: <stem>/data.pkl + <stem>/data/<key>),
// torch/_utils.py (_rebuild_tensor_v2); shared/fixtures/parity/README.md ("Hugging Face checkpoint files").
import Foundation
import MLXTensor

/// Reads a PyTorch `.bin`/`.pt` state dict natively: the zip archive, its pickled dict of
/// `_rebuild_tensor_v2` calls over persistent storages, and the raw little-endian storages.
public enum TorchCheckpoint {
    /// Storage class name → element type.
    static let storageTypes: [String: DType] = [
        "torch.FloatStorage": .float32, "torch.HalfStorage": .float16, "torch.BFloat16Storage": .bfloat16,
        "torch.LongStorage": .int64, "torch.IntStorage": .int32, "torch.ByteStorage": .uint8,
        "torch.BoolStorage": .bool, "torch.DoubleStorage": .float64,
    ]

    final class StorageRef {
        let key: String
        let dtype: DType
        init(key: String, dtype: DType) { self.key = key; self.dtype = dtype }
    }

    final class TensorRef {
        let storage: StorageRef
        let offset: Int
        let shape: [Int]
        let strides: [Int]
        init(storage: StorageRef, offset: Int, shape: [Int], strides: [Int]) {
            self.storage = storage; self.offset = offset; self.shape = shape; self.strides = strides
        }
    }

    struct Malformed: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): not a readable PyTorch checkpoint (\(reason))" }
    }

    /// Every tensor of the state dict, by name (float64 storages are converted to float32).
    public static func load(_ path: String) throws -> [String: Tensor] {
        let zip = try ZipArchive(path: path)
        guard let pickleName = zip.entries.keys.filter({ $0.hasSuffix("data.pkl") }).min(by: { $0.count < $1.count }) else {
            throw Malformed(path: path, reason: "no data.pkl in the archive")
        }
        let prefix = String(pickleName.dropLast("data.pkl".count))
        let pickle = [UInt8](try zip.read(zip.entries[pickleName]!))
        let machine = PickleMachine(persistentLoad: { pid in
            guard let t = pid.asTuple, t.count >= 3, t[0].asString == "storage", case .global(let type) = t[1],
                  let key = t[2].asString ?? t[2].asInt.map(String.init)
            else { throw Malformed(path: path, reason: "unexpected persistent id") }
            guard let dtype = storageTypes[type] else {
                throw Malformed(path: path, reason: "storage type \(type); supported: \(storageTypes.keys.sorted().joined(separator: ", "))")
            }
            return .object(StorageRef(key: key, dtype: dtype))
        }, reduce: { name, args in
            switch name {
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor":
                guard args.count >= 4, case .persistent(.object(let o)) = args[0], let storage = o as? StorageRef,
                      let offset = args[1].asInt, let shape = args[2].asTuple?.compactMap(\.asInt),
                      let strides = args[3].asTuple?.compactMap(\.asInt), strides.count == shape.count
                else { throw Malformed(path: path, reason: "malformed _rebuild_tensor_v2 call") }
                return .object(TensorRef(storage: storage, offset: offset, shape: shape, strides: strides))
            case "torch._utils._rebuild_parameter":
                return args.first
            case "collections.OrderedDict":
                return .dict(PickleDict())
            default:
                return nil
            }
        })
        let root: PickleValue
        do { root = try machine.run(pickle) } catch let e as PickleMachine.Failure {
            throw Malformed(path: path, reason: e.reason)
        }
        guard case .dict(let dict) = root else { throw Malformed(path: path, reason: "the pickle is not a dict") }
        var result = [String: Tensor]()
        for (k, v) in dict.pairs {
            guard let name = k.asString, case .object(let o) = v, let ref = o as? TensorRef else { continue }
            result[name] = try tensor(ref, zip: zip, prefix: prefix)
        }
        return result
    }

    static func tensor(_ ref: TensorRef, zip archive: ZipArchive, prefix: String) throws -> Tensor {
        guard let entry = archive.entries[prefix + "data/" + ref.storage.key] else {
            throw Malformed(path: archive.path, reason: "storage \(ref.storage.key) missing")
        }
        let dtype = ref.storage.dtype, size = dtype.size
        let count = ref.shape.reduce(1, *)
        var contiguous = [Int](repeating: 1, count: ref.shape.count)
        for i in stride(from: ref.shape.count - 2, through: 0, by: -1) { contiguous[i] = contiguous[i + 1] * ref.shape[i + 1] }
        let isContiguous = count == 0 || zip(ref.strides, contiguous).enumerated().allSatisfy { ref.shape[$0.offset] == 1 || $0.element.0 == $0.element.1 }
        let tensor: Tensor
        if isContiguous {
            let data = try archive.read(entry, offset: ref.offset * size, count: count * size)
            tensor = data.withUnsafeBytes { Tensor(bytes: $0, shape: ref.shape, dtype: dtype) }
        } else {
            // A strided view: gather its elements from the whole storage.
            let data = try archive.read(entry)
            let storage = data.withUnsafeBytes { Tensor(bytes: $0, shape: [entry.size / size], dtype: dtype) }
            var indices = [Int32](repeating: Int32(ref.offset), count: count)
            for (i, _) in indices.enumerated() {
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
