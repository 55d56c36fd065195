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
        guard let pathColumn = table.index(of: "path") else {
            throw DataToolError.missingColumn(csv: csvPath, column: "path", found: table.header)
        }
        let folder = URL(fileURLWithPath: csvPath).deletingLastPathComponent().path
        let journal = try RowJournal(output: output)
        let n = table.records.count
        let results = RowResults(count: n)
        let slots = DispatchSemaphore(value: workers), group = DispatchGroup()
        let failure = FirstFailure(), videoOnly = videoOnly
        for (i, record) in table.records.enumerated() {
            let raw = record[pathColumn]
            if let values = journal.values(row: i, path: raw) {
                results.set(i, values)
                continue
            }
            slots.wait()
            DispatchQueue.global().async(group: group) {
                defer { slots.signal() }
                let file = DatasetTable.resolve(raw, against: folder)
                let info = MediaInfo.probe(file, kind: videoOnly ? .video : MediaKind(path: raw))
                // The journal keeps the integer resolution; the float form is decided when the table is assembled.
                let values = info.fields(integerResolution: true) + [info.error ?? ""]
                do { try journal.record(row: i, path: raw, values: values) } catch { failure.record(error) }
                results.set(i, values, progress: progress)
            }
        }
        group.wait()
        if let error = failure.first { throw error }
        let rows = results.rows
        // pandas stores a column holding a NaN as float64: resolution is written "2073600.0" once any row failed.
        let anyFailed = rows.contains { !$0[MediaInfo.columns.count].isEmpty }
        var out = table
        for (c, name) in MediaInfo.columns.enumerated() {
            out = out.setting(column: name, to: rows.map { r in
                name == "resolution" && anyFailed && !r[c].isEmpty ? "\(Double(r[c])!)" : r[c]
            })
        }
        out = out.setting(column: MediaInfo.errorColumn, to: rows.map { $0[MediaInfo.columns.count] })
        try out.write(to: output)
        journal.finish()
        return out
    }

    /// The reference's output name: the input's stem with `_info` (`_vinfo` for --video-info), beside it.
    public static func defaultOutput(for input: String, videoOnly: Bool) -> String {
        let url = URL(fileURLWithPath: input)
        let stem = url.deletingPathExtension().lastPathComponent + (videoOnly ? "_vinfo" : "_info")
        return url.deletingLastPathComponent().appendingPathComponent(stem + "." + (url.pathExtension.isEmpty ? "csv" : url.pathExtension)).path
    }
}

/// Rows finished by concurrent workers, with the count of those done (a lock keeps progress calls one at a time).
final class RowResults: @unchecked Sendable {
    private var values: [[String]?]
    private var finished = 0
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ row: [String], progress: ((Int, Int) -> Void)? = nil) {
        lock.withLock {
            values[i] = row
            finished += 1
            progress?(finished, values.count)
        }
    }

    /// Every row, once all are set.
    var rows: [[String]] { lock.withLock { values.map { $0! } } }
}
