import ArgumentParser
import Foundation
import OpenSoraTraining

/// `opensora data info`: frames, size, fps, aspect ratio and resolution of every row's file (datautil --info).
struct DataInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Add num_frames, height, width, aspect_ratio, fps, resolution (and error) to every row of a CSV.",
        discussion: """
        Every video is decoded in full (ffprobe -count_frames), several at once. A file that cannot be read keeps the
        reference's zeros and empty values and says why in the 'error' column; the run does not stop. Finished rows are
        journalled beside the output (OUTPUT.partial.jsonl), so an interrupted run continues where it stopped.

        Example:
          opensora data info meta.csv            # writes meta_info.csv
        """)

    @Argument(help: "The CSV to read (a 'path' column; relative paths are relative to the CSV's folder).")
    var input: String

    @Option(help: "The CSV to write (default: INPUT_info.csv beside it).")
    var output: String?

    @Flag(help: "Read every row as a video, whatever its extension (the reference's --video-info).")
    var videoInfo = false

    @Option(help: "Files probed at once (default: the machine's cores).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers \(workers); accepted: at least 1") }
    }

    func run() throws {
        let table = try CSVTable(parsing: String(contentsOfFile: input, encoding: .utf8), source: input)
        let out = output ?? DataInfoTool.defaultOutput(for: input, videoOnly: videoInfo)
        let progress = RowProgress(tool: "info")
        let result = try DataInfoTool(workers: workers, videoOnly: videoInfo).run(table, csvPath: input, output: out, progress: progress.update)
        let failed = result.records.filter { !$0[result.header.count - 1].isEmpty }.count
        print("\(out): \(result.records.count) rows, \(failed) unreadable")
    }
}
