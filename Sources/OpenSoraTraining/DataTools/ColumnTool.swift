// Added (not in the reference): the shape every one-column scorer shares — a value per row from its file, the
// reason in `error` when the file cannot give one, journalled and written like every per-file tool.
import Foundation

/// Adds `column` (and `error`) to a table, one value per row from its resolved file and its fields.
public struct ColumnTool: Sendable {
    public var column: String
    public var workers: Int

    public init(column: String, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        (self.column, self.workers) = (column, workers)
    }

    public func run(_ table: CSVTable, csvPath: String, output: String, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
                    value: @escaping @Sendable (_ file: String, _ record: [String]) throws -> String) throws -> CSVTable {
        let journal = try RowJournal(output: output)
        let rows = try RowRunner(workers: workers).run(table, csvPath: csvPath, journal: journal, progress: progress) { file, record in
            do { return [try value(file, record), ""] } catch { return ["", "\(error)"] }
        }
        return try RowRunner.finish(table, rows: rows, columns: [column, MediaInfo.errorColumn], output: output, journal: journal)
    }
}
