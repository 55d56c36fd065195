// Added (not in the reference): how every data tool resumes — each finished row is appended to `OUTPUT.partial.jsonl`
// as it finishes; a rerun reads it back and skips those rows; the CSV is written (atomically) only at the end.
import Foundation

/// The finished rows of an interrupted tool run, keyed by row index and checked against the row's path.
public final class RowJournal: @unchecked Sendable {
    struct Entry: Codable {
        var row: Int
        var path: String
        var values: [String]
    }

    public let path: String
    private var done: [Int: Entry] = [:]
    private let handle: FileHandle
    private let lock = NSLock()

    /// The journal beside `output`; rows already in it are kept (a line cut short by a kill is ignored).
    public init(output: String) throws {
        path = output + ".partial.jsonl"
        if let data = FileManager.default.contents(atPath: path) {
            for line in data.split(separator: UInt8(ascii: "\n")) {
                guard let entry = try? JSONDecoder().decode(Entry.self, from: Data(line)) else { continue }
                done[entry.row] = entry
            }
        } else {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw DataToolError.unreadableJournal(path: path, reason: "cannot be created")
            }
        }
        guard let h = FileHandle(forWritingAtPath: path) else { throw DataToolError.unreadableJournal(path: path, reason: "cannot be opened") }
        handle = h
        handle.seekToEndOfFile()
    }

    deinit { try? handle.close() }

    /// The values recorded for `row` when it was the same file (`path`), else nil.
    public func values(row: Int, path: String) -> [String]? {
        lock.withLock { done[row].flatMap { $0.path == path ? $0.values : nil } }
    }

    public var count: Int { lock.withLock { done.count } }

    /// Records a finished row (thread-safe).
    public func record(row: Int, path: String, values: [String]) throws {
        let entry = Entry(row: row, path: path, values: values)
        var line = try JSONEncoder().encode(entry)
        line.append(UInt8(ascii: "\n"))
        try lock.withLock {
            try handle.write(contentsOf: line)
            done[row] = entry
        }
    }

    /// The run is complete: the journal goes.
    public func finish() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}
