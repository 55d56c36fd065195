// Reference: torch/serialization.py (zip format: <stem>/data.pkl + <stem>/data/<key>),
// torch/_utils.py (_rebuild_tensor_v2); shared/fixtures/parity/README.md ("Hugging Face checkpoint files").
import Foundation
import MLXTensor

/// Reads a PyTorch `.bin`/`.pt` state dict natively: the zip archive, its pickled dict of
/// `_rebuild_tensor_v2` calls over persistent storages, and the raw little-endian storages. This file
/// parses and checks the records (Foundation only, so the fuzzer builds it); `+Tensors` reads the data.
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
        /// In elements of the storage, as torch counts it.
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

    /// A tensor record checked against its storage entry: every element it views lies inside.
    struct Record {
        let name: String
        let ref: TensorRef
        let entry: ZipArchive.Entry
        let count: Int
        let isContiguous: Bool
    }

    /// The archive and its checked tensor records, in the pickle's order.
    static func records(_ path: String) throws -> (ZipArchive, [Record]) {
        let zip = try ZipArchive(path: path)
        guard let pickleName = zip.entries.keys.filter({ $0.hasSuffix("data.pkl") }).min(by: { $0.count < $1.count }),
              let pickleEntry = zip.entries[pickleName]
        else { throw Malformed(path: path, reason: "no data.pkl in the archive") }
        let prefix = String(pickleName.dropLast("data.pkl".count))
        let root: PickleValue
        do { root = try machine(path).run([UInt8](try zip.read(pickleEntry))) } catch let e as PickleMachine.Failure {
            throw Malformed(path: path, reason: e.reason)
        }
        guard case .dict(let dict) = root else { throw Malformed(path: path, reason: "the pickle is not a dict") }
        var records = [Record]()
        for (k, v) in dict.pairs {
            guard let name = k.asString, case .object(let o) = v, let ref = o as? TensorRef else { continue }
            guard let entry = zip.entries[prefix + "data/" + ref.storage.key] else {
                throw Malformed(path: path, reason: "tensor '\(name)': storage \(ref.storage.key) missing from the archive")
            }
            records.append(try check(ref, name: name, entry: entry, path: path))
        }
        return (zip, records)
    }

    /// The unpickler with torch's persistent storages and the few globals a state dict uses.
    static func machine(_ path: String) -> PickleMachine {
        PickleMachine(persistentLoad: { pid in
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
                guard args.count >= 4, case .persistent(.object(let o), _) = args[0], let storage = o as? StorageRef,
                      let offset = args[1].asInt, let shape = integers(args[2]), let strides = integers(args[3]),
                      strides.count == shape.count
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
    }

    /// A tuple of ints only (a non-int element is malformed, not skipped).
    static func integers(_ value: PickleValue) -> [Int]? {
        guard let items = value.asTuple else { return nil }
        let ints = items.compactMap(\.asInt)
        return ints.count == items.count ? ints : nil
    }

    /// Checked arithmetic over the record: shape, strides and offset must keep every viewed element
    /// inside the storage entry (element offset + Σ (size−1)·stride < storage elements).
    static func check(_ ref: TensorRef, name: String, entry: ZipArchive.Entry, path: String) throws -> Record {
        func fail(_ r: String) -> Malformed { Malformed(path: path, reason: "tensor '\(name)' \(r)") }
        let shape = ref.shape, strides = ref.strides
        guard shape.allSatisfy({ $0 >= 0 }) else { throw fail("has a negative dimension in shape \(shape)") }
        guard strides.allSatisfy({ $0 >= 0 }) else { throw fail("has negative strides \(strides); torch.save writes non-negative ones") }
        guard ref.offset >= 0 else { throw fail("has a negative storage offset \(ref.offset)") }
        var count = 1, last = ref.offset
        for (n, s) in zip(shape, strides) {
            let (c, o1) = count.multipliedReportingOverflow(by: n)
            guard !o1 else { throw fail("of shape \(shape): its element count overflows") }
            count = c
            guard n > 0 else { continue }
            let (reach, o2) = (n - 1).multipliedReportingOverflow(by: s)
            let (sum, o3) = last.addingReportingOverflow(reach)
            guard !o2, !o3 else { throw fail("of shape \(shape), strides \(strides) at offset \(ref.offset): its extent overflows") }
            last = sum
        }
        let elements = entry.size / ref.storage.dtype.size
        if count > 0 && last >= elements || count == 0 && ref.offset > elements {
            throw fail("of shape \(shape), strides \(strides) at offset \(ref.offset) reaches element \(last) of a storage of \(elements) elements")
        }
        var expected = 1, isContiguous = true
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] != 1 {
            if strides[d] != expected { isContiguous = false }
            expected = expected &* shape[d]  // bounded by count, already checked
        }
        if count == 0 { isContiguous = true }
        // A strided view is gathered by 32-bit indices and may not broadcast beyond its storage.
        guard isContiguous || (count <= elements && elements <= Int(Int32.max)) else {
            throw fail("is a strided view of \(count) elements over a storage of \(elements); only views within the storage are read")
        }
        return Record(name: name, ref: ref, entry: entry, count: count, isContiguous: isContiguous)
    }

    /// What reading a checked record takes: a byte range of its storage entry, or the element
    /// indices of a strided view (all inside the storage, by `check`).
    enum ReadPlan: Equatable {
        case bytes(offset: Int, count: Int)
        case gather(storageElements: Int, indices: [Int32])
    }

    static func readPlan(_ record: Record) -> ReadPlan {
        let ref = record.ref, size = ref.storage.dtype.size
        if record.isContiguous { return .bytes(offset: ref.offset * size, count: record.count * size) }
        var indices = [Int32](repeating: 0, count: record.count)
        for i in indices.indices {
            var rest = i, index = ref.offset
            for d in stride(from: ref.shape.count - 1, through: 0, by: -1) {
                index += (rest % ref.shape[d]) * ref.strides[d]
                rest /= ref.shape[d]
            }
            indices[i] = Int32(index)
        }
        return .gather(storageElements: record.entry.size / size, indices: indices)
    }
}
