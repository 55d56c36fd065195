// Reference: tools/caption/camera_motion_detect.py and tools/caption/camera_motion/detect.py@v1.2.0 (column `cmotion`,
// output `{input}_cmotion.csv`); spec/tools.md §11.
import Foundation

/// `data camera-motion`: the camera motion label of every row's video.
public struct CameraMotionTool: Sendable {
    /// Which of the reference's two detectors, and so which label vocabulary.
    public enum Vocabulary: String, CaseIterable, Sendable {
        /// tools/caption/camera_motion_detect.py: "pan left", "zoom in", "pan/tilt", …
        case farneback
        /// tools/caption/camera_motion (VBench's rule on tracked points): "pan_left", "zoom_in", … — what
        /// `data filter --merge-cmotion` puts into captions.
        case tracks
    }

    public var vocabulary: Vocabulary
    public var workers: Int

    public init(vocabulary: Vocabulary = .farneback, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        (self.vocabulary, self.workers) = (vocabulary, workers)
    }

    public func run(_ table: CSVTable, csvPath: String, output: String, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> CSVTable {
        let vocabulary = vocabulary
        return try ColumnTool(column: "cmotion", workers: workers).run(table, csvPath: csvPath, output: output, progress: progress) { file, _ in
            try MediaKind.require(file)
            switch vocabulary {
            case .farneback: return try CameraMotion().label(path: file)
            case .tracks: return try CameraMotionTracks().label(path: file)
            }
        }
    }

    public static func defaultOutput(for input: String) -> String { RowRunner.siblingOutput(of: input, suffix: "_cmotion") }
}
