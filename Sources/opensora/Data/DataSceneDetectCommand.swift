import ArgumentParser
import Foundation
import OpenSoraTraining

/// `opensora data scene-detect`: scene boundaries of every row's video (tools/scene_cut/scene_detect.py).
struct DataSceneDetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scene-detect",
        abstract: "Add a 'timestamp' column: the scenes of each video as [('HH:MM:SS.mmm', 'HH:MM:SS.mmm'), …].",
        discussion: """
        PySceneDetect's adaptive content detector, native: HSV change per frame (long side at most 256 pixels), a cut where
        it is 3× its neighbours' average and at least 15, scenes at least 15 frames long. A video without a cut is one
        scene. Unreadable videos keep an empty timestamp and say why in 'error'. Resumable like every data tool.

        Example:
          opensora data scene-detect meta_info_fmin1.csv     # writes meta_info_fmin1_timestamp.csv
        """)

    @Argument(help: "The CSV to read (a 'path' column).") var input: String
    @Option(help: "The CSV to write (default: INPUT_timestamp.csv beside it).") var output: String?
    @Option(help: "Videos processed at once (default: the machine's cores).") var workers = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws { try ColumnToolRun.validate(workers: workers) }

    func run() throws {
        let out = output ?? SceneDetectTool.defaultOutput(for: input)
        try ColumnToolRun.run(tool: "scene-detect", input: input, output: out) { table, progress in
            try SceneDetectTool(workers: workers).run(table, csvPath: input, output: out, progress: progress)
        }
    }
}
