import ArgumentParser
import Foundation
import OpenSoraTraining

/// `opensora data motion`: the optical-flow motion score of every row's video (tools/scoring/optical_flow/inference.py).
struct DataMotionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motion",
        abstract: "Add a 'flow' column: how much each video moves, in pixels at 320×576.",
        discussion: """
        The reference's statistic: frames 0, 10, 20 and 30 (a shorter clip repeats its last frame, so it scores lower),
        portrait clips turned landscape, resized to 320×576, the mean absolute optical flow of the three consecutive
        pairs. The flow is Farneback's dense flow (OpenCV's algorithm, native; no weights needed) — the reference's
        UniMatch model gives larger values on the same clips, so thresholds chosen on its scores do not carry over.
        An image scores 0. Unreadable files keep an empty score and say why in 'error'. Resumable like every data tool.

        Example:
          opensora data motion meta_clips_info_fmin1.csv     # writes meta_clips_info_fmin1_flow.csv
          opensora data filter meta_clips_info_fmin1_flow.csv --flowmin 0.5
        """)

    @Argument(help: "The CSV to read (a 'path' column).") var input: String
    @Option(help: "The CSV to write (default: INPUT_flow.csv beside it).") var output: String?
    @Option(help: "Videos processed at once (default: the machine's cores).") var workers = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws { try ColumnToolRun.validate(workers: workers) }

    func run() throws {
        let out = output ?? MotionTool.defaultOutput(for: input)
        try ColumnToolRun.run(tool: "motion", input: input, output: out) { table, progress in
            try MotionTool(workers: workers).run(table, csvPath: input, output: out, progress: progress)
        }
    }
}
