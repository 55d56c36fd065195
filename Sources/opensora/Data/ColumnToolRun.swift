import ArgumentParser
import Foundation
import OpenSoraTraining

/// The run every one-column data command shares: read the CSV, run the tool with a progress line, say what was written.
enum ColumnToolRun {
    static func run(tool: String, input: String, output: String,
                    _ body: (_ table: CSVTable, _ progress: @escaping @Sendable (Int, Int) -> Void) throws -> CSVTable) throws {
        let table = try DataFilterCommand.read(input)
        let result = try body(table, RowProgress(tool: tool).update)
        let failed = result.records.filter { !$0[result.header.count - 1].isEmpty }.count
        print("\(output): \(result.records.count) rows, \(failed) unreadable")
    }

    static func validate(workers: Int) throws {
        guard workers >= 1 else { throw ValidationError("--workers \(workers); accepted: at least 1") }
    }
}
