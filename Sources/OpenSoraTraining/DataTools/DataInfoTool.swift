// Reference: tools/datasets/datautil.py@v1.2.0 (`--info`: num_frames, height, width, aspect_ratio, fps, resolution per
// row, in parallel; `_info` suffix); spec/tools.md §5, §12.
import Foundation

/// `data info`: probes every row's file, `workers` at a time, resuming from a journal beside the output.
public struct DataInfoTool: Sendable {
    public var workers: Int
    /// Force the video path for every row (the reference's `--video-info`).
    public var videoOnly: Bool

    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, videoOnly: Bool = false) {
        self.workers = max(1, workers)
        self.videoOnly = videoOnly
    }

    /// The table with the info columns (and `error`) set; `csvPath` resolves relative paths as the trainer does.
    /// `progress(done, total)` is called from one thread at a time.
    public func run(_ table: CSVTable, csvPath: String, output: String, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> CSVTable {
        let journal = try RowJournal(output: output), videoOnly = videoOnly, p = table.index(of: "path") ?? 0
        // The journal keeps the integer resolution; the float form is decided when the table is assembled.
        let rows = try RowRunner(workers: workers).run(table, csvPath: csvPath, journal: journal, progress: progress) { file, record in
            let info = MediaInfo.probe(file, kind: videoOnly ? .video : MediaKind(path: record[p]))
            return info.fields + [info.error ?? ""]
        }
        // pandas stores a column holding a NaN as float64: resolution is written "2073600.0" once any row failed.
        let anyFailed = rows.contains { !$0[MediaInfo.columns.count].isEmpty }
        let r = MediaInfo.columns.firstIndex(of: "resolution")!
        let final = rows.map { row in
            var row = row
            if anyFailed && !row[r].isEmpty { row[r] = "\(Double(row[r])!)" }
            return row
        }
        return try RowRunner.finish(table, rows: final, columns: MediaInfo.columns + [MediaInfo.errorColumn], output: output, journal: journal)
    }

    /// The reference's output name: the input's stem with `_info` (`_vinfo` for --video-info), beside it.
    public static func defaultOutput(for input: String, videoOnly: Bool) -> String {
        RowRunner.siblingOutput(of: input, suffix: videoOnly ? "_vinfo" : "_info")
    }
}

