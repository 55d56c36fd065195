import ArgumentParser
import Foundation
import OpenSoraTraining

/// `opensora data camera-motion`: the camera motion of every row's video (tools/caption/camera_motion_detect.py).
struct DataCameraMotionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "camera-motion",
        abstract: "Add a 'cmotion' column: static, pan left/right, tilt up/down, zoom in/out, pan/tilt, dynamic or unknown.",
        discussion: """
        The reference's Farneback detector: every 15th frame against the first, the median flow magnitude (below one
        pixel: static), the share of pixels moving outward (below 0.4: zoom out, above 0.6: zoom in), else the median
        flow angle (content moving right: the camera pans left). The clip takes the label of more than half its frames;
        else 'unknown' if any was static, 'pan/tilt' if none zoomed, 'dynamic' otherwise.
        Unreadable files keep an empty label and say why in 'error'. Resumable like every data tool.

        Example:
          opensora data camera-motion meta_clips_caption.csv     # writes meta_clips_caption_cmotion.csv
        """)

    @Argument(help: "The CSV to read (a 'path' column).") var input: String
    @Option(help: "The CSV to write (default: INPUT_cmotion.csv beside it).") var output: String?
    @Option(help: "Videos processed at once (default: the machine's cores).") var workers = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws { try ColumnToolRun.validate(workers: workers) }

    func run() throws {
        let out = output ?? CameraMotionTool.defaultOutput(for: input)
        try ColumnToolRun.run(tool: "camera-motion", input: input, output: out) { table, progress in
            try CameraMotionTool(workers: workers).run(table, csvPath: input, output: out, progress: progress)
        }
    }
}
