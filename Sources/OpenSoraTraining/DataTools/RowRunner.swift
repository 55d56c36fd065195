// Added (not in the reference): the one way every per-file data tool runs — rows `workers` at a time, each finished row
// journalled (RowJournal) so a rerun continues, the table written atomically at the end.
import Foundation

/// Computes new columns for every row of a table from the row's file.
public struct RowRunner: Sendable {
    public var workers: Int

    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount) { self.workers = max(1, workers) }

    /// `compute(file, record)` gives the row's new values from its resolved file and its fields (it must not throw: a
    /// bad file is a row with a reason). `csvPath` resolves relative paths as the trainer does. Returns the rows' values in order; the caller
    /// assembles and writes the table, then calls `journal.finish()`.
    public func run(_ table: CSVTable, csvPath: String, journal: RowJournal, progress: @escaping @Sendable (Int, Int) -> Void,
                    compute: @escaping @Sendable (_ file: String, _ record: [String]) -> [String]) throws -> [[String]] {
        guard let pathColumn = table.index(of: "path") else {
            throw DataToolError.missingColumn(csv: csvPath, column: "path", found: table.header)
        }
        let folder = URL(fileURLWithPath: csvPath).deletingLastPathComponent().path
        let results = RowResults(count: table.records.count)
        let slots = DispatchSemaphore(value: workers), group = DispatchGroup(), failure = FirstFailure()
        for (i, record) in table.records.enumerated() {
            let raw = record[pathColumn]
            if let values = journal.values(row: i, path: raw) {
                results.set(i, values)
                continue
            }
            slots.wait()
            DispatchQueue.global().async(group: group) {
                defer { slots.signal() }
                let values = compute(DatasetTable.resolve(raw, against: folder), record)
                do { try journal.record(row: i, path: raw, values: values) } catch { failure.record(error) }
                results.set(i, values, progress: progress)
            }
        }
        group.wait()
        if let error = failure.first { throw error }
        return results.rows
    }
}

extension RowRunner {
    /// A tool's default output, the reference's way: the input's stem plus `suffix`, beside it, same extension.
    public static func siblingOutput(of input: String, suffix: String) -> String {
        let url = URL(fileURLWithPath: input)
        let ext = url.pathExtension.isEmpty ? "csv" : url.pathExtension
        return url.deletingLastPathComponent().appendingPathComponent(url.deletingPathExtension().lastPathComponent + suffix + "." + ext).path
    }

    /// The table with `columns` set (replaced or appended) from `rows`, written to `output` atomically; then the
    /// journal goes — the end of every per-file tool.
    public static func finish(_ table: CSVTable, rows: [[String]], columns: [String], output: String, journal: RowJournal) throws -> CSVTable {
        var out = table
        for (c, name) in columns.enumerated() { out = out.setting(column: name, to: rows.map { $0[c] }) }
        try out.write(to: output)
        journal.finish()
        return out
    }
}

/// Rows finished by concurrent workers, with the count of those done (a lock keeps progress calls one at a time).
final class RowResults: @unchecked Sendable {
    private var values: [[String]?]
    private var finished = 0
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ row: [String], progress: ((Int, Int) -> Void)? = nil) {
        lock.withLock {
            values[i] = row
            finished += 1
            progress?(finished, values.count)
        }
    }

    /// Every row, once all are set.
    var rows: [[String]] { lock.withLock { values.map { $0! } } }
}
