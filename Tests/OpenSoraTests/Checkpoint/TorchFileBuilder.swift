import Foundation

/// Builds PyTorch-style checkpoints byte by byte (a stored zip holding `archive/data.pkl` and
/// `archive/data/<key>`), so tests can hand-craft the malformed files real parsers must refuse.
enum TorchFileBuilder {
    struct TensorSpec {
        var name: String
        var storageKey = "0"
        var storageType = "FloatStorage"
        var storageElements: Int
        var offset = 0
        var shape: [Int]
        var strides: [Int]
    }

    /// A state dict whose tensors view zero-filled float storages (one per distinct key).
    static func checkpoint(_ tensors: [TensorSpec], storageBytes: [String: [UInt8]] = [:]) -> [UInt8] {
        var entries = [("archive/data.pkl", pickle(tensors))]
        var seen = Set<String>()
        for t in tensors where seen.insert(t.storageKey).inserted {
            entries.append(("archive/data/\(t.storageKey)", storageBytes[t.storageKey] ?? [UInt8](repeating: 0, count: t.storageElements * 4)))
        }
        return zip(entries)
    }

    // MARK: pickle (protocol 2, the opcodes torch.save emits)

    static func pickle(_ tensors: [TensorSpec]) -> [UInt8] {
        var p: [UInt8] = [0x80, 0x02, 0x7D]  // PROTO 2, EMPTY_DICT
        for t in tensors {
            p += unicode(t.name)
            p += global("torch._utils", "_rebuild_tensor_v2")
            p += [0x28]  // MARK (args)
            p += [0x28] + unicode("storage") + global("torch", t.storageType) + unicode(t.storageKey) + unicode("cpu")
                + int(t.storageElements) + [0x74, 0x51]  // TUPLE, BINPERSID
            p += int(t.offset) + tuple(t.shape) + tuple(t.strides) + [0x89]  // NEWFALSE (requires_grad)
            p += global("collections", "OrderedDict") + [0x29, 0x52]  // EMPTY_TUPLE, REDUCE
            p += [0x74, 0x52, 0x73]  // TUPLE, REDUCE, SETITEM
        }
        return p + [0x2E]  // STOP
    }

    static func unicode(_ s: String) -> [UInt8] { [0x58] + le(UInt64(s.utf8.count), 4) + Array(s.utf8) }
    static func global(_ module: String, _ name: String) -> [UInt8] { [0x63] + Array("\(module)\n\(name)\n".utf8) }
    /// LONG1 with 8 bytes: any Int, two's complement.
    static func int(_ v: Int) -> [UInt8] { [0x8A, 8] + le(UInt64(bitPattern: Int64(v)), 8) }
    static func tuple(_ values: [Int]) -> [UInt8] { [0x28] + values.flatMap(int) + [0x74] }

    // MARK: zip (stored entries, optional ZIP64 end records)

    static func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

    static func zip(_ entries: [(String, [UInt8])]) -> [UInt8] {
        var out = [UInt8](), central = [UInt8]()
        for (name, data) in entries {
            let offset = out.count, n = Array(name.utf8)
            out += le(0x0403_4B50, 4) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
                + le(UInt64(data.count), 4) + le(UInt64(data.count), 4) + le(UInt64(n.count), 2) + le(0, 2) + n + data
            central += centralEntry(name: n, size: UInt64(data.count), offset: UInt64(offset))
        }
        return out + central + endRecord(count: entries.count, directorySize: central.count, directoryOffset: out.count)
    }

    static func centralEntry(name: [UInt8], size: UInt64, offset: UInt64, extra: [UInt8] = []) -> [UInt8] {
        le(0x0201_4B50, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
            + le(size, 4) + le(size, 4) + le(UInt64(name.count), 2) + le(UInt64(extra.count), 2) + le(0, 2)
            + le(0, 2) + le(0, 2) + le(0, 4) + le(offset, 4) + name + extra
    }

    static func endRecord(count: Int, directorySize: Int, directoryOffset: Int) -> [UInt8] {
        le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(UInt64(count), 2) + le(UInt64(count), 2)
            + le(UInt64(directorySize), 4) + le(UInt64(directoryOffset), 4) + le(0, 2)
    }

    /// A ZIP64 locator pointing at `recordOffset`, then an end record that defers to it.
    static func zip64Tail(recordOffset: UInt64) -> [UInt8] {
        le(0x0706_4B50, 4) + le(0, 4) + le(recordOffset, 8) + le(1, 4)
            + le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(0xFFFF, 2) + le(0xFFFF, 2) + le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) + le(0, 2)
    }

    /// A ZIP64 end-of-central-directory record (56 bytes).
    static func zip64Record(count: UInt64, directorySize: UInt64, directoryOffset: UInt64) -> [UInt8] {
        le(0x0606_4B50, 4) + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) + le(0, 4)
            + le(count, 8) + le(count, 8) + le(directorySize, 8) + le(directoryOffset, 8)
    }
}
