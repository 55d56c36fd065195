import ArgumentParser
import Foundation
import OpenSoraTraining

/// `opensora data cut`: each row's scenes as MP4 clips (tools/scene_cut/cut.py).
struct DataCutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cut",
        abstract: "Cut every row's video into its scenes ('timestamp' column; none = the whole video) as {name}_scene-{k}.mp4.",
        discussion: """
        The reference's rules: timecodes read at whole seconds (PySceneDetect at fps 1; --frame-accurate keeps their
        milliseconds), scenes shorter than --min-seconds skipped (their numbers stay unused), longer ones kept from the
        start up to --max-seconds, the short side scaled to --shorter-size unless the row's height/width are already at
        most that, video only, re-encoded. Clips already in --save-dir are kept, so a rerun continues; a report CSV
        (clips written and errors per row) goes into --save-dir.

        Example:
          opensora data cut meta_timestamp.csv --save-dir clips --min-seconds 2 --max-seconds 15
          opensora data convert video clips --output meta_clips.csv
        """)

    @Argument(help: "The CSV to read (path; timestamp, relpath, height, width when present).") var input: String
    @Option(help: "Folder for the clips.") var saveDir: String
    @Option(help: "Skip scenes shorter than this (seconds).") var minSeconds: Double?
    @Option(help: "Keep at most this much of a scene (seconds).") var maxSeconds: Double?
    @Option(help: "Frame rate of the clips (default: the source's).") var targetFps: Int?
    @Option(help: "Short side of the clips; 0 keeps the size.") var shorterSize = 1080
    @Flag(help: "Cut at the timestamps' milliseconds, not the reference's whole seconds.") var frameAccurate = false
    @Option(help: "Videos cut at once (default: the machine's cores).") var workers = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers \(workers); accepted: at least 1") }
        guard shorterSize >= 0 else { throw ValidationError("--shorter-size \(shorterSize); accepted: ≥ 0 (0 keeps the size)") }
        if let f = targetFps, f < 1 { throw ValidationError("--target-fps \(f); accepted: at least 1") }
        for (name, v) in [("--min-seconds", minSeconds), ("--max-seconds", maxSeconds)] {
            if let v, !(v > 0 && v.isFinite) { throw ValidationError("\(name) \(v); accepted: a number of seconds > 0") }
        }
    }

    func run() throws {
        var cut = SceneCut()
        (cut.minSeconds, cut.maxSeconds, cut.targetFPS) = (minSeconds, maxSeconds, targetFps)
        cut.shorterSize = shorterSize > 0 ? shorterSize : nil
        cut.frameAccurate = frameAccurate
        let table = try DataFilterCommand.read(input)
        let stem = ((input as NSString).lastPathComponent as NSString).deletingPathExtension
        let report = (saveDir as NSString).appendingPathComponent("\(stem)_cut.csv")
        let result = try SceneCutTool(cut: cut, saveDirectory: saveDir, workers: workers)
            .run(table, csvPath: input, report: report, progress: RowProgress(tool: "cut").update)
        let clips = result.records.map { $0[result.header.count - 2].split(separator: ";").count }.reduce(0, +)
        let failed = result.records.filter { !$0[result.header.count - 1].isEmpty }.count
        print("\(clips) clips in \(saveDir) from \(result.records.count) rows (\(failed) failed); report \(report)")
    }
}
