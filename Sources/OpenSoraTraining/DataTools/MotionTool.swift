// Reference: tools/scoring/optical_flow/inference.py@v1.2.0 (column `flow`, output `{input}_flow.csv`); spec/tools.md §7.
import Foundation

/// `data motion`: the optical-flow motion score of every row's video (an image scores 0: its frames do not move).
public struct MotionTool: Sendable {
    public var score = MotionScore()
    public var workers: Int

    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount) { self.workers = workers }

    public func run(_ table: CSVTable, csvPath: String, output: String, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> CSVTable {
        let score = score
        return try ColumnTool(column: "flow", workers: workers).run(table, csvPath: csvPath, output: output, progress: progress) { file, _ in
            try MediaKind.require(file)
            return "\(try score.score(path: file))"
        }
    }

    public static func defaultOutput(for input: String) -> String { RowRunner.siblingOutput(of: input, suffix: "_flow") }
}
