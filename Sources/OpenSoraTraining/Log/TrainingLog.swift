// Ours: the reference's log.txt is free text; a JSONL file is what `opensora train plot` and a resumed run read back.
import Foundation
import MLXTensor

/// Why a log cannot be read or written.
public enum TrainingLogError: Error, Equatable, CustomStringConvertible {
    case malformedLine(path: String, line: Int, reason: String)
    case cannotOpen(path: String)
    case stepNotIncreasing(previous: Int, next: Int)

    public var description: String {
        switch self {
        case .malformedLine(let p, let l, let r): "\(p):\(l): not a log entry (\(r))"
        case .cannotOpen(let p): "\(p): cannot open the log for appending"
        case .stepNotIncreasing(let a, let b): "log step \(b) after step \(a): steps must increase"
        }
    }
}

/// The run's `log.jsonl`, appended one flushed line per step.
public final class TrainingLog {
    public let path: String
    private let handle: FileHandle
    public private(set) var lastStep: Int

    /// Opens the log of a run resumed after `resumedStep` completed steps (0 for a fresh run): entries beyond it are
    /// dropped (atomically), so the steps replayed after a resume are not logged twice.
    public init(path: String, resumingAfter resumedStep: Int) throws {
        self.path = path
        let kept = FileManager.default.fileExists(atPath: path) ? try Self.read(path).filter { $0.step <= resumedStep } : []
        try AtomicFile.write(Data(try kept.map { try Self.line($0) }.joined().utf8), to: path, durable: true)
        guard let h = FileHandle(forWritingAtPath: path) else { throw TrainingLogError.cannotOpen(path: path) }
        try h.seekToEnd()
        handle = h
        lastStep = kept.last?.step ?? 0
    }

    deinit { try? handle.close() }

    /// Writes one line with a single write(2), so a crash leaves at most a torn last line (which `read` skips).
    public func append(_ entry: TrainingLogEntry) throws {
        guard entry.step > lastStep else { throw TrainingLogError.stepNotIncreasing(previous: lastStep, next: entry.step) }
        try handle.write(contentsOf: Data(Self.line(entry).utf8))
        lastStep = entry.step
    }

    static func line(_ entry: TrainingLogEntry) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(entry), as: UTF8.self) + "\n"
    }

    /// Every entry of a log; a last line without its newline (a write cut by a crash) is ignored.
    public static func read(_ path: String) throws -> [TrainingLogEntry] {
        guard let data = FileManager.default.contents(atPath: path) else { throw TrainingLogError.cannotOpen(path: path) }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        // The piece after the last newline is either empty or a torn line.
        if !lines.isEmpty { lines.removeLast() }
        return try lines.enumerated().compactMap { i, text in
            if text.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
            do { return try decoder.decode(TrainingLogEntry.self, from: Data(text.utf8)) } catch {
                throw TrainingLogError.malformedLine(path: path, line: i + 1, reason: "\(error)")
            }
        }
    }
}
