// Reference: tools/caption/camera_motion_detect.py@v1.2.0 (column `cmotion`, output `{input}_cmotion.csv`); spec/tools.md §11.2.
import Foundation

/// `data camera-motion`: the camera motion label of every row's video.
public struct CameraMotionTool: Sendable {
    public var detector = CameraMotion()
    public var workers: Int

    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount) { self.workers = workers }

    public func run(_ table: CSVTable, csvPath: String, output: String, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> CSVTable {
        let detector = detector
        return try ColumnTool(column: "cmotion", workers: workers).run(table, csvPath: csvPath, output: output, progress: progress) { file, _ in
            try MediaKind.require(file)
            return try detector.label(path: file)
        }
    }

    public static func defaultOutput(for input: String) -> String { RowRunner.siblingOutput(of: input, suffix: "_cmotion") }
}
