import ArgumentParser
import Foundation
import OpenSoraTraining

/// `opensora data camera-motion`: the camera motion of every row's video (tools/caption/camera_motion_detect.py).
struct DataCameraMotionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "camera-motion",
        abstract: "Add a 'cmotion' column: the camera's pan, tilt or zoom in each video.",
        discussion: """
        --vocabulary farneback (default): the reference's Farneback detector (camera_motion_detect.py): every 15th frame against the first, the median flow magnitude (below one
        pixel: static), the share of pixels moving outward (below 0.4: zoom out, above 0.6: zoom in), else the median
        flow angle (content moving right: the camera pans left). The clip takes the label of more than half its frames;
        else 'unknown' if any was static, 'pan/tilt' if none zoomed, 'dynamic' otherwise.
        --vocabulary tracks: the reference's VBench rule (tools/caption/camera_motion): a 10×10 grid followed from the
        first frame to the last (here by chaining the flow through every 3rd frame, short side at most 256; the
        reference uses CoTracker2), the edge groups' mean displacement against a quarter of the short side:
        pan_left, pan_right, tilt_up, tilt_down, zoom_in, zoom_out, static, Undetermined, joined with '+' — the labels
        'data filter --merge-cmotion' writes into captions.
        Unreadable files keep an empty label and say why in 'error'. Resumable like every data tool.

        Example:
          opensora data camera-motion meta_clips_caption.csv     # writes meta_clips_caption_cmotion.csv
        """)

    @Argument(help: "The CSV to read (a 'path' column).") var input: String
    @Option(help: "The CSV to write (default: INPUT_cmotion.csv beside it).") var output: String?
    @Option(help: "Which detector and labels: farneback or tracks.") var vocabulary: CameraMotionTool.Vocabulary = .farneback
    @Option(help: "Videos processed at once (default: the machine's cores).") var workers = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws { try ColumnToolRun.validate(workers: workers) }

    func run() throws {
        let out = output ?? CameraMotionTool.defaultOutput(for: input)
        try ColumnToolRun.run(tool: "camera-motion", input: input, output: out) { table, progress in
            try CameraMotionTool(vocabulary: vocabulary, workers: workers).run(table, csvPath: input, output: out, progress: progress)
        }
    }
}

extension CameraMotionTool.Vocabulary: ExpressibleByArgument {}
