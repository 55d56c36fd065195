import Foundation
import OpenSora
@testable import OpenSoraTraining
import XCTest

final class CSVWritingTests: XCTestCase {
    /// pandas' minimal quoting: only fields with a comma, quote or line break are quoted; the parser reads it back.
    func testWrittenTablesReadBackFieldForField() throws {
        let table = CSVTable(header: ["path", "text"], records: [["a.mp4", "plain"], ["b.mp4", "a, b"], ["c.mp4", "say \"hi\"\nbye"], ["d.mp4", ""]])
        XCTAssertEqual(table.serialized(), "path,text\na.mp4,plain\nb.mp4,\"a, b\"\nc.mp4,\"say \"\"hi\"\"\nbye\"\nd.mp4,\n")
        let again = try CSVTable(parsing: table.serialized())
        XCTAssertEqual(again.header, table.header)
        XCTAssertEqual(again.records, table.records)
        XCTAssertEqual(table.setting(column: "text", to: ["1", "2", "3", "4"]).records.map { $0[1] }, ["1", "2", "3", "4"])
        XCTAssertEqual(table.setting(column: "fps", to: ["1", "2", "3", "4"]).header, ["path", "text", "fps"])
    }
}

final class DataConvertTests: XCTestCase {
    /// Videos and images under a folder, recursively, sorted, absolute paths; other files are not listed.
    func testAFolderBecomesTheReferenceColumns() throws {
        let folder = try ClipFolder()
        try FileManager.default.createDirectory(atPath: folder.file("sub/deeper"), withIntermediateDirectories: true)
        for name in ["b.mp4", "a.MOV", "sub/c.mkv", "sub/deeper/d.avi", "e.png", "sub/f.jpeg", "notes.txt", "g.webm"] {
            FileManager.default.createFile(atPath: folder.file(name), contents: Data([0]))
        }
        let root = URL(fileURLWithPath: folder.path).standardizedFileURL.path
        let videos = try MediaListing.table(root: folder.path, kind: .video)
        XCTAssertEqual(videos.header, ["path", "id", "relpath"])
        XCTAssertEqual(videos.records, [["\(root)/a.MOV", "a", "a.MOV"], ["\(root)/b.mp4", "b", "b.mp4"],
                                        ["\(root)/sub/c.mkv", "c", "sub/c.mkv"], ["\(root)/sub/deeper/d.avi", "d", "sub/deeper/d.avi"]])
        let images = try MediaListing.table(root: folder.path, kind: .image)
        XCTAssertEqual(images.header, ["id", "path"])
        XCTAssertEqual(images.records, [["e", "\(root)/e.png"], ["f", "\(root)/sub/f.jpeg"]])
        XCTAssertThrowsError(try MediaListing.table(root: folder.file("notes.txt"), kind: .video)) {
            XCTAssertEqual($0 as? DataToolError, .notAFolder(URL(fileURLWithPath: folder.file("notes.txt")).standardizedFileURL.path))
        }
    }
}

final class DataInfoTests: XCTestCase {
    /// Known clips measure as written; broken files of every kind are rows with the reference's zeros and a reason,
    /// and the run goes on. With a failure in the table, resolution is written as pandas' float64 column.
    func testKnownClipsAndBrokenFiles() throws {
        let folder = try ClipFolder()
        try folder.video("clip.mkv", frames: 20, size: VideoSize(height: 24, width: 40), fps: "12") { f, _, x, _ in UInt8((f * 7 + x) % 256) }
        try folder.image("still.png", size: VideoSize(height: 30, width: 20)) { y, x, _ in UInt8(x + y) }
        FileManager.default.createFile(atPath: folder.file("empty.mp4"), contents: Data())
        let whole = try Data(contentsOf: URL(fileURLWithPath: folder.file("clip.mkv")))
        FileManager.default.createFile(atPath: folder.file("cut.mkv"), contents: whole.prefix(200))
        FileManager.default.createFile(atPath: folder.file("text.avi"), contents: Data("not a video".utf8))
        let csv = folder.file("meta.csv")
        let input = CSVTable(header: ["path", "text"], records: [["clip.mkv", "a"], ["still.png", "b"], ["empty.mp4", "c"], ["cut.mkv", "d"],
                                                                  ["text.avi", "e"], ["missing.mp4", "f"], ["clip.gif", "g"]])
        try input.write(to: csv)
        let out = folder.file("meta_info.csv")
        XCTAssertEqual(DataInfoTool.defaultOutput(for: csv, videoOnly: false), out)
        let result = try DataInfoTool(workers: 3).run(input, csvPath: csv, output: out)
        XCTAssertEqual(result.header, ["path", "text", "num_frames", "height", "width", "aspect_ratio", "fps", "resolution", "error"])
        let rows = result.records
        XCTAssertEqual(Array(rows[0].prefix(8)), ["clip.mkv", "a", "20", "24", "40", "0.6", "12.0", "960.0"])
        XCTAssertEqual(rows[0][8], "")
        XCTAssertEqual(Array(rows[1].prefix(8)), ["still.png", "b", "1", "30", "20", "1.5", "", "600.0"])
        for row in rows[2...] {
            XCTAssertEqual(Array(row[2..<8]), ["0", "0", "0", "", "", ""], row[0])
            XCTAssertFalse(row[8].isEmpty, row[0])
        }
        XCTAssertEqual(rows[5][8], "no such file")
        XCTAssertTrue(rows[6][8].contains("unsupported extension"), rows[6][8])
        // What was written is what was returned, and the journal is gone.
        XCTAssertEqual(try CSVTable(parsing: String(contentsOfFile: out, encoding: .utf8)).records, rows)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + ".partial.jsonl"))
        // Without failures the resolution stays an integer column.
        let good = try DataInfoTool().run(CSVTable(header: ["path"], records: [["clip.mkv"]]), csvPath: csv, output: folder.file("good.csv"))
        XCTAssertEqual(good.records[0], ["clip.mkv", "20", "24", "40", "0.6", "12.0", "960", ""])
    }

    /// A rerun after an interruption takes the journalled rows as they are (not probed again) unless the row's path
    /// changed; a line cut short by the kill is ignored.
    func testARerunContinuesFromTheJournal() throws {
        let folder = try ClipFolder()
        try folder.video("a.mkv", frames: 5, size: VideoSize(height: 16, width: 16)) { _, _, _, _ in 9 }
        try folder.video("b.mkv", frames: 7, size: VideoSize(height: 16, width: 16)) { _, _, _, _ in 9 }
        let csv = folder.file("m.csv"), out = folder.file("m_info.csv")
        let input = CSVTable(header: ["path"], records: [["a.mkv"], ["b.mkv"]])
        // Row 0 journalled with values no probe would give; row 1 journalled for another file; then a torn line.
        let journal = #"{"row":0,"path":"a.mkv","values":["99","1","2","2.0","3.0","2",""]}"# + "\n"
            + #"{"row":1,"path":"old.mkv","values":["1","1","1","1.0","1.0","1",""]}"# + "\n" + #"{"row":1,"pa"#
        try Data(journal.utf8).write(to: URL(fileURLWithPath: out + ".partial.jsonl"))
        let result = try DataInfoTool(workers: 1).run(input, csvPath: csv, output: out)
        XCTAssertEqual(result.records[0], ["a.mkv", "99", "1", "2", "2.0", "3.0", "2", ""])
        XCTAssertEqual(result.records[1], ["b.mkv", "7", "16", "16", "1.0", "24.0", "256", ""])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + ".partial.jsonl"))
    }

    func testATableWithoutPathsIsRefusedNamingTheColumns() throws {
        let folder = try ClipFolder()
        XCTAssertThrowsError(try DataInfoTool().run(CSVTable(header: ["file", "text"], records: []), csvPath: "x.csv", output: folder.file("o.csv"))) {
            XCTAssertEqual($0 as? DataToolError, .missingColumn(csv: "x.csv", column: "path", found: ["file", "text"]))
        }
    }
}

final class DatasetFilterTests: XCTestCase {
    let table = CSVTable(header: ["path", "text", "num_frames", "fps", "aes"], records: [
        ["a.mp4", "a dog", "51", "24.0", "5.5"],
        ["b.png", "A  Red CAR", "1", "", "6.0"],
        ["c.mp4", "see https://x.io now", "10", "60.0", "4.0"],
        ["a.mp4", "a dog again", "51", "24.0", ""],
        ["d.mkv", "", "0", "", "7.5"],
    ])

    func paths(_ t: CSVTable) -> [String] { t.records.map { $0[0] } }

    /// Numeric filters drop empty (NaN) values, except --fpsmax, which keeps rows without an fps.
    func testNumericFiltersFollowPandasNaNRules() throws {
        var f = DatasetFilter()
        f.fmin = 1
        XCTAssertEqual(paths(try f.apply(to: table, source: "t")), ["a.mp4", "b.png", "c.mp4", "a.mp4"])
        f = DatasetFilter()
        f.fpsmax = 30
        XCTAssertEqual(paths(try f.apply(to: table, source: "t")), ["a.mp4", "b.png", "a.mp4", "d.mkv"])
        f = DatasetFilter()
        f.aesmin = 5.5
        XCTAssertEqual(paths(try f.apply(to: table, source: "t")), ["a.mp4", "b.png", "d.mkv"])
        f = DatasetFilter()
        f.flowmin = 1
        XCTAssertThrowsError(try f.apply(to: table, source: "t.csv")) {
            XCTAssertEqual($0 as? DataToolError, .missingColumn(csv: "t.csv", column: "flow", found: table.header))
        }
    }

    /// Caption filters, de-duplication (first kept), kind filters, sorting (numeric, descending, empty last), head.
    func testCaptionPathAndOrderOperations() throws {
        var f = DatasetFilter()
        f.removeURL = true
        f.removeEmptyCaption = true
        f.removePathDuplication = true
        XCTAssertEqual(try f.apply(to: table, source: "t").records.map { $0[1] }, ["a dog", "A  Red CAR"])
        f = DatasetFilter()
        f.sort = "aes"
        XCTAssertEqual(try f.apply(to: table, source: "t").records.map { $0[4] }, ["7.5", "6.0", "5.5", "4.0", ""])
        f.head = 2
        f.videosOnly = true
        XCTAssertEqual(paths(try f.apply(to: table, source: "t")), ["d.mkv", "a.mp4"])
        f = DatasetFilter()
        f.imagesOnly = true
        XCTAssertEqual(paths(try f.apply(to: table, source: "t")), ["b.png"])
        f = DatasetFilter()
        f.sortAscending = "text"
        XCTAssertEqual(try f.apply(to: table, source: "t").records.map { $0[1] }, ["A  Red CAR", "a dog", "a dog again", "see https://x.io now", ""])
        f = DatasetFilter()
        f.cleanCaption = true
        f.appendText = ", best"
        f.trainColumns = true
        let cleaned = try f.apply(to: table, source: "t")
        XCTAssertEqual(cleaned.header, ["path", "text", "num_frames", "fps"])
        XCTAssertEqual(cleaned.records[1][1], "a red car, best")
    }

    /// --difference drops listed paths, --intersection inner-joins on path and adds the other table's new columns.
    func testDifferenceIntersectionAndPaths() throws {
        var f = DatasetFilter()
        f.difference = CSVTable(header: ["path"], records: [["a.mp4"], ["zzz.mp4"]])
        XCTAssertEqual(paths(try f.apply(to: table, source: "t")), ["b.png", "c.mp4", "d.mkv"])
        f = DatasetFilter()
        f.intersection = CSVTable(header: ["path", "aes", "flow"], records: [["c.mp4", "9", "3.5"], ["a.mp4", "1", "0.5"]])
        let joined = try f.apply(to: table, source: "t")
        XCTAssertEqual(joined.header, ["path", "text", "num_frames", "fps", "aes", "flow"])
        XCTAssertEqual(joined.records.map { [$0[0], $0[4], $0[5]] }, [["a.mp4", "5.5", "0.5"], ["c.mp4", "4.0", "3.5"], ["a.mp4", "", "0.5"]])
        f = DatasetFilter()
        f.abspath = "/data"
        f.pathToID = true
        let absolute = try f.apply(to: table, source: "t")
        XCTAssertEqual(absolute.records[0][0], "/data/a.mp4")
        XCTAssertEqual(absolute.records[0].last, "a")
        f = DatasetFilter()
        f.relpath = "/data/raw"
        XCTAssertEqual(try f.apply(to: CSVTable(header: ["path"], records: [["/data/raw/x/y.mp4"], ["/data/other/z.mp4"]]), source: "t").records,
                       [["x/y.mp4"], ["../other/z.mp4"]])
    }

    /// Camera motion goes into captions with the reference's wording; a label outside its seven is an error.
    func testCameraMotionMergesOnlyKnownLabels() throws {
        var f = DatasetFilter()
        f.mergeCameraMotion = true
        let t = CSVTable(header: ["path", "text", "cmotion"], records: [["a", "a cat", "pan_left"], ["b", "a dog", "static"]])
        XCTAssertEqual(try f.apply(to: t, source: "t").records.map { $0[1] }, ["a cat Camera motion: pan left.", "a dog Camera motion: static."])
        XCTAssertThrowsError(try f.apply(to: CSVTable(header: ["path", "text", "cmotion"], records: [["a", "x", "pan/tilt"]]), source: "t")) {
            XCTAssertTrue("\($0)".contains("'pan/tilt'") && "\($0)".contains("pan_left"), "\($0)")
        }
    }

    /// Output names as the reference builds them; shards as np.array_split sizes them; merging takes the column union.
    func testNamesShardsAndMerging() {
        var f = DatasetFilter()
        f.fmin = 1
        XCTAssertEqual(f.outputPath(inputs: ["data/meta_info.csv"]), "data/meta_info_fmin1.csv")
        f.aesmin = 5
        f.sort = "aes"
        f.shuffle = true
        XCTAssertEqual(f.outputPath(inputs: ["data/a.csv", "b.csv"]), "data/a+b_sort_fmin1_aesmin5.0_shuffled_seed42.csv")
        XCTAssertEqual(DatasetFilter.shardPath("data/m.csv", index: 3), "data/m_3.csv")
        let parts = DatasetFilter.shards(CSVTable(header: ["path"], records: (0..<7).map { ["\($0)"] }), into: 3)
        XCTAssertEqual(parts.map { $0.records.map { $0[0] } }, [["0", "1", "2"], ["3", "4"], ["5", "6"]])
        let merged = CSVTable.concatenating([CSVTable(header: ["path", "text"], records: [["a", "x"]]),
                                             CSVTable(header: ["path", "aes"], records: [["b", "5"]])])
        XCTAssertEqual(merged.header, ["path", "text", "aes"])
        XCTAssertEqual(merged.records, [["a", "x", ""], ["b", "", "5"]])
    }

    /// A seeded shuffle is a permutation, the same for the same seed.
    func testShuffleIsASeededPermutation() throws {
        var f = DatasetFilter()
        f.shuffle = true
        let rows = CSVTable(header: ["path"], records: (0..<50).map { ["\($0)"] })
        let once = paths(try f.apply(to: rows, source: "t")), twice = paths(try f.apply(to: rows, source: "t"))
        XCTAssertEqual(once, twice)
        XCTAssertNotEqual(once, paths(rows))
        XCTAssertEqual(once.sorted(), paths(rows).sorted())
        f.seed = 7
        XCTAssertNotEqual(paths(try f.apply(to: rows, source: "t")), once)
    }
}

final class SceneDetectTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/scenes")

    struct Expected: Decodable {
        struct Clip: Decodable {
            let file: String
            let frames: Int
            let cuts: [Int]
            let timestamp: String
        }
        let clips: [String: Clip]
    }

    /// On the fixture clips (tools/scene_detect_reference.py: known cuts, one shorter than the minimum scene length, one
    /// clip without a cut, one below the downscale size) every cut is within one frame of PySceneDetect's.
    func testCutsAreWithinOneFrameOfPySceneDetect() throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("expected.json")))
        XCTAssertEqual(expected.clips.count, 4)
        for (name, clip) in expected.clips {
            let (scenes, fps) = try SceneDetector().scenes(path: Self.fixtures.appendingPathComponent(clip.file).path)
            let cuts = scenes.dropFirst().map(\.lowerBound)
            XCTAssertEqual(cuts.count, clip.cuts.count, "\(name): \(cuts) vs \(clip.cuts)")
            for (ours, theirs) in zip(cuts, clip.cuts) { XCTAssertLessThanOrEqual(abs(ours - theirs), 1, name) }
            XCTAssertEqual(scenes.last?.upperBound, clip.frames, name)
            if cuts == clip.cuts { XCTAssertEqual(SceneDetector.timestampLiteral(scenes, fps: fps), clip.timestamp, name) }
        }
    }

    /// The adaptive rule on hand-made scores: a spike 3× its neighbours' mean and ≥ 15 cuts, not before 15 frames from
    /// the start or the last cut; a spike among equally busy frames does not.
    func testTheAdaptiveRuleOnScores() {
        var scores = [Double](repeating: 2, count: 60)
        scores[0] = 0
        scores[10] = 40   // too early (frame 10 < 15)
        scores[20] = 40   // a cut
        scores[30] = 40   // only 10 frames after the last cut
        scores[45] = 14   // 7× its neighbours but below min_content_val
        scores[50] = 30
        scores[51] = 30   // a cut at 50 (30 / mean(2, 2, 30, 2) = 3.3); 51 is 1 frame after it
        XCTAssertEqual(SceneDetector().cuts(scores: scores), [20, 50])
        XCTAssertEqual(SceneDetector.processingSize(VideoSize(height: 240, width: 320)), VideoSize(height: 192, width: 256))
        XCTAssertEqual(SceneDetector.processingSize(VideoSize(height: 64, width: 96)), VideoSize(height: 64, width: 96))
        XCTAssertEqual(SceneDetector.timecode(frame: 20, fps: 12), "00:00:01.667")
        XCTAssertEqual(SceneDetector.timecode(frame: 90_000, fps: 25), "01:00:00.000")
    }

    /// The tool adds `timestamp` (and `error` for an unreadable video) without stopping.
    func testTheToolWritesTimestampsAndKeepsBrokenRows() throws {
        let folder = try ClipFolder()
        let clip = Self.fixtures.appendingPathComponent("small.mkv").path
        FileManager.default.createFile(atPath: folder.file("broken.mp4"), contents: Data("x".utf8))
        let csv = folder.file("m.csv")
        let table = CSVTable(header: ["path"], records: [[clip], ["broken.mp4"]])
        let result = try SceneDetectTool(workers: 2).run(table, csvPath: csv, output: SceneDetectTool.defaultOutput(for: csv))
        XCTAssertEqual(result.header, ["path", "timestamp", "error"])
        XCTAssertEqual(result.records[0][1], "[('00:00:00.000', '00:00:01.667'), ('00:00:01.667', '00:00:03.667')]")
        XCTAssertEqual(result.records[1][1], "")
        XCTAssertFalse(result.records[1][2].isEmpty)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.file("m_timestamp.csv")))
    }
}

final class SceneCutTests: XCTestCase {
    /// Timecodes at the reference's whole seconds (round half to even), min/max seconds, gaps in numbering.
    func testScenesBecomeClipsByTheReferenceRules() throws {
        let scenes = try XCTUnwrap(SceneCut.scenes("[('00:00:00.000', '00:00:01.400'), ('00:00:01.400', '00:00:04.600'), ('00:00:04.600', '00:00:06.000')]"))
        XCTAssertEqual(scenes.count, 3)
        var cut = SceneCut()
        cut.minSeconds = 2
        cut.maxSeconds = 3
        XCTAssertEqual(try cut.clips(scenes), [SceneCut.Clip(index: 1, start: 1, duration: 3)])
        cut.frameAccurate = true
        XCTAssertEqual(try cut.clips(scenes), [SceneCut.Clip(index: 1, start: 1.4, duration: 3)])
        cut = SceneCut()
        XCTAssertEqual(try cut.clips([("00:00:02.500", "00:00:03.500")]), [SceneCut.Clip(index: 0, start: 2, duration: 2)])
        XCTAssertEqual(SceneCut.seconds("01:02:03.5"), 3723.5)
        XCTAssertEqual(SceneCut.seconds("2.25"), 2.25)
        XCTAssertNil(SceneCut.seconds("aa:00:01"))
        XCTAssertNil(SceneCut.scenes("('00:00:00', '00:00:01')"))
        XCTAssertThrowsError(try cut.clips([("x", "00:00:01")])) { XCTAssertEqual($0 as? DataToolError, .badTimestamp("('x', '00:00:01')")) }
    }

    /// Real cuts through ffmpeg: the kept scene's frames and size; a row with a short side already small is not scaled;
    /// a row without a scene list is skipped with a reason; a rerun keeps the clips it finds.
    func testCutsAreWrittenWithTheirLengthAndSize() throws {
        let folder = try ClipFolder()
        let video = try folder.video("src.mkv", frames: 60, size: VideoSize(height: 48, width: 64), fps: "10") { f, _, x, c in UInt8((f * 4 + x + c * 30) % 256) }
        let save = folder.file("clips")
        let table = CSVTable(header: ["path", "timestamp", "height", "width"], records: [
            [video, "[('00:00:00.000', '00:00:01.400'), ('00:00:01.400', '00:00:04.600'), ('00:00:04.600', '00:00:06.000')]", "", ""],
            // The row says its short side is 24 (≤ 32): the reference trusts it and does not scale.
            [video, "[('00:00:00.000', '00:00:02.000')]", "24", "32"],
            [video, "not a list", "", ""],
        ])
        var cut = SceneCut()
        cut.minSeconds = 2
        cut.maxSeconds = 3
        cut.shorterSize = 32
        let report = folder.file("clips/report.csv")
        let result = try SceneCutTool(cut: cut, saveDirectory: save, workers: 1).run(table, csvPath: folder.file("m.csv"), report: report)
        let clip1 = (save as NSString).appendingPathComponent("src_scene-1.mp4"), clip0 = (save as NSString).appendingPathComponent("src_scene-0.mp4")
        XCTAssertEqual(result.records[0][4], clip1)
        let probed = try VideoReader.probe(clip1)
        XCTAssertEqual(probed.frames, 30)
        XCTAssertEqual(probed.size.height, 32)
        XCTAssertEqual(probed.size.width % 2, 0)
        XCTAssertEqual(result.records[1][4], clip0)
        XCTAssertEqual(try VideoReader.probe(clip0).size, VideoSize(height: 48, width: 64))
        XCTAssertEqual(result.records[2][4], "")
        XCTAssertTrue(result.records[2][5].contains("not a [...] scene list"), result.records[2][5])
        XCTAssertFalse(FileManager.default.fileExists(atPath: (save as NSString).appendingPathComponent("src_scene-2.mp4")))
        let before = try FileManager.default.attributesOfItem(atPath: clip1)[.modificationDate] as? Date
        _ = try SceneCutTool(cut: cut, saveDirectory: save, workers: 1).run(table, csvPath: folder.file("m.csv"), report: report)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: clip1)[.modificationDate] as? Date, before)
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: save).allSatisfy { !$0.hasSuffix(".partial") })
    }
}
