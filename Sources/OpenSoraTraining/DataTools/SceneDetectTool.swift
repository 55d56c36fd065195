// Reference: tools/scene_cut/scene_detect.py@v1.2.0 (a `timestamp` column per video, output `{input}_timestamp.csv`;
// rows that raise are dropped there — here they stay, with the reason in `error`); spec/tools.md §3.
import Foundation

/// `data scene-detect`: the scene list of every row's video, journalled like every per-file tool.
public struct SceneDetectTool: Sendable {
    public var detector = SceneDetector()
    public var workers: Int

    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount) { self.workers = workers }

    public func run(_ table: CSVTable, csvPath: String, output: String, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> CSVTable {
        let detector = detector
        return try ColumnTool(column: "timestamp", workers: workers).run(table, csvPath: csvPath, output: output, progress: progress) { file, _ in
            let (scenes, fps) = try detector.scenes(path: file)
            return SceneDetector.timestampLiteral(scenes, fps: fps)
        }
    }

    public static func defaultOutput(for input: String) -> String { RowRunner.siblingOutput(of: input, suffix: "_timestamp") }
}
