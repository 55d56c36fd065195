// Reference: tools/scene_cut/cut.py@v1.2.0 (rows in parallel, clips under --save_dir); spec/tools.md §4. Added: each
// clip is written under a temporary name and renamed, clips already there are kept (a rerun continues), and a CSV of
// what each row produced (`clips`, `error`) goes beside them.
import Foundation
import OpenSora

/// `data cut`: every row's scenes as MP4 clips.
public struct SceneCutTool: Sendable {
    public var cut: SceneCut
    public var saveDirectory: String
    public var workers: Int

    public init(cut: SceneCut, saveDirectory: String, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        (self.cut, self.saveDirectory, self.workers) = (cut, saveDirectory, workers)
    }

    /// Returns the table with `clips` (the files written, ';'-separated) and `error`; writes it to `report`.
    public func run(_ table: CSVTable, csvPath: String, report: String, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> CSVTable {
        try FileManager.default.createDirectory(atPath: saveDirectory, withIntermediateDirectories: true)
        let journal = try RowJournal(output: report), cut = cut, save = saveDirectory
        let column = { (name: String) in table.index(of: name) }
        let (ts, rel, h, w) = (column("timestamp"), column("relpath"), column("height"), column("width"))
        let p = table.index(of: "path") ?? 0
        let rows = try RowRunner(workers: workers).run(table, csvPath: csvPath, journal: journal, progress: progress) { file, row in
            let raw = row[p]
            do {
                var clips: [SceneCut.Clip?] = [nil]
                if let ts {
                    guard let scenes = SceneCut.scenes(row[ts]) else { return ["", "timestamp '\(row[ts].prefix(40))' is not a [...] scene list"] }
                    clips = try cut.clips(scenes)
                }
                var folder = save
                if let rel { folder = ((save as NSString).appendingPathComponent(row[rel]) as NSString).deletingLastPathComponent }
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                // The reference scales unless the row says the short side is already at most N.
                var scale = true
                if let h, let w, let hh = Double(row[h]), let ww = Double(row[w]), let n = cut.shorterSize, min(hh, ww) <= Double(n) { scale = false }
                let stem = ((raw as NSString).lastPathComponent as NSString).deletingPathExtension
                var written = [String]()
                for clip in clips {
                    let out = (folder as NSString).appendingPathComponent("\(stem)_scene-\(clip?.index ?? 0).mp4")
                    if !FileManager.default.fileExists(atPath: out) {
                        let partial = out + ".partial"
                        try FFmpeg.run(cut.ffmpegArguments(video: file, clip: clip, output: partial, scale: scale))
                        try FileManager.default.moveItem(atPath: partial, toPath: out)
                    }
                    written.append(out)
                }
                return [written.joined(separator: ";"), ""]
            } catch {
                return ["", "\(error)"]
            }
        }
        return try RowRunner.finish(table, rows: rows, columns: ["clips", MediaInfo.errorColumn], output: report, journal: journal)
    }
}
