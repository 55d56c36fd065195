// libFuzzer entry point for every file parser (scripts/fuzz.sh builds it with -sanitize=fuzzer).
// One binary, the parser chosen by FUZZ_TARGET; a parser may throw, but never trap or hang.
import Foundation
import MLXTensor
import NN
@testable import OpenSora

enum FuzzTarget: String, CaseIterable {
    case safetensors, index, spiece, zip, pickle, torch, config
}

/// Chosen once, before the first input (libFuzzer calls LLVMFuzzerInitialize first).
nonisolated(unsafe) var target = FuzzTarget.safetensors
/// Parsers that take a path get the input through this file (one per process; in memory where /dev/shm is).
let scratch = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
    + "/opensora-fuzz-\(getpid()).bin"

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    guard let chosen = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("FUZZ_TARGET '\(name)'; accepted: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    target = chosen
    atexit { unlink(scratch) }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    switch target {
    case .safetensors: _ = try? Safetensors.header(ofBytes: bytes)
    case .index: _ = try? CheckpointIndex.shardNames(Data(bytes), path: "index.json")
    case .spiece: viaFile(bytes) { _ = try? SentencePieceModel(contentsOf: $0) }
    case .zip: viaFile(bytes) { readZip($0) }
    case .pickle: _ = try? TorchCheckpoint.machine("data.pkl").run(bytes)
    case .torch: viaFile(bytes) { readTorch($0) }
    case .config: decodeConfigs(Data(bytes))
    }
    return 0
}

/// Plain open/write/close: FileManager.createFile writes atomically (temp + rename), 3x the syscalls.
func viaFile(_ bytes: [UInt8], _ body: (String) -> Void) {
    let fd = open(scratch, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0, bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else { fatalError("cannot write \(scratch)") }
    close(fd)
    body(scratch)
}

func readZip(_ path: String) {
    guard let zip = try? ZipArchive(path: path) else { return }
    for entry in zip.entries.values { _ = try? zip.read(entry, offset: entry.size / 2, count: entry.size - entry.size / 2) }
}

/// The records, then every read their plans make (what TorchCheckpoint.load does, minus MLX).
func readTorch(_ path: String) {
    guard let (zip, records) = try? TorchCheckpoint.records(path) else { return }
    for record in records {
        switch TorchCheckpoint.readPlan(record) {
        case .bytes(let offset, let count): _ = try? zip.read(record.entry, offset: offset, count: count)
        case .gather(let elements, let indices):
            precondition(indices.allSatisfy { $0 >= 0 && Int($0) < elements }, "gather index outside the storage")
        }
    }
}

/// Each config as the loaders read it: decoded over the defaults, then validated as the models do.
func decodeConfigs(_ data: Data) {
    if let c = try? STDiT3Config.decode(json: data) { _ = try? c.validate() }
    if let c = try? T5Config.decode(json: data) { _ = try? c.validate() }
    if let c = try? SpatialVAEConfig.decode(json: data) { _ = try? c.validate() }
    if let c = try? TemporalVAEConfig.decode(json: data) { _ = try? c.validate() }
}
