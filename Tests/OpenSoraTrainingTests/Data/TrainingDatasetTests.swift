import Foundation
import OpenSora
@testable import OpenSoraTraining
import XCTest

final class TrainingDatasetTests: XCTestCase {
    /// Frame k's red channel is 10·k, so the frame a sample took is its red value / 10.
    static func frameColour(_ f: Int, _ y: Int, _ x: Int, _ c: Int) -> UInt8 { c == 0 ? UInt8(10 * f) : c == 1 ? 200 : UInt8(16 * x) }

    func batch(_ rows: [Int], frames: Int, height: Int, width: Int) -> SampledBatch {
        SampledBatch(bucket: BucketID(resolution: Resolution.allCases[0], frameCount: frames, aspectRatioKey: "1.0"),
                     shape: BucketShape(frameCount: frames, size: VideoSize(height: height, width: width)), rows: rows)
    }

    func testVideoShapesRangeAndTemporalSampling() throws {
        let clips = try ClipFolder()
        try clips.video("a.mkv", frames: 20, size: VideoSize(height: 8, width: 16), fps: "30000/1001", pattern: Self.frameColour)
        let table = try DatasetTable(parsing: "path,text,num_frames,height,width\na.mkv,red,20,8,16\n", baseFolder: clips.path)
        for interval in [1, 2] {
            let dataset = try TrainingDataset(table: table, frameInterval: interval)
            var random = NumPyRandom(seed: 3)
            let sample = try dataset.sample(row: 0, shape: BucketShape(frameCount: 4, size: VideoSize(height: 8, width: 8)), random: &random).get()
            XCTAssertEqual(sample.pixels.count, 3 * 4 * 8 * 8)
            XCTAssert(sample.pixels.allSatisfy { (-1...1).contains($0) })
            XCTAssertEqual(sample.fps, (30000.0 / 1001 / Double(interval)).rounded(.down), "fps // interval")
            // The reference's rule from the same draw: start = floor(u · (rand_end + 1)), then linspace.
            var replay = NumPyRandom(seed: 3)
            let crop = TemporalCrop(frameCount: 4, frameInterval: interval), starts = crop.starts(totalFrames: 20)
            let begin = Int(replay.random() * Double(starts.count))
            XCTAssertEqual(sample.frameIndices, crop.indices(totalFrames: 20, begin: begin))
            XCTAssertEqual(sample.frameIndices.count, 4)
            // Red of channel 0, any pixel of frame slot t, decodes back to the frame index.
            for (t, index) in sample.frameIndices.enumerated() {
                let red = sample.pixels[(0 * 4 + t) * 64]
                XCTAssertEqual(Int(((red + 1) / 2 * 255).rounded()), 10 * index, "slot \(t)")
            }
            // 8×16 to 8×8: no scaling, columns 4..<12 kept (left = floor(8 / 2)); blue = 16·column.
            let blue = (0..<8).map { x in Int(((sample.pixels[((2 * 4) * 8) * 8 + x] + 1) / 2 * 255).rounded()) }
            XCTAssertEqual(blue, (4..<12).map { 16 * $0 })
        }
    }

    /// An H.264 MP4 written by Media's VideoWriter: lossy, so frames are told apart by red steps of 20.
    func testMP4FromVideoWriter() throws {
        let clips = try ClipFolder()
        let size = VideoSize(height: 16, width: 16), n = 10
        let rgb: [UInt8] = (0..<n).flatMap { f -> [UInt8] in (0..<(16 * 16)).flatMap { _ -> [UInt8] in [UInt8(20 * f + 20), 128, 64] } }
        try VideoWriter.write(VideoFrames(count: n, size: size, rgb: rgb), to: clips.file("w"), format: .mp4, fps: 24)
        let table = try DatasetTable(parsing: "path,text,num_frames,height,width\nw.mp4,w,10,16,16\n", baseFolder: clips.path)
        var random = NumPyRandom(seed: 8)
        let s = try TrainingDataset(table: table).sample(row: 0, shape: BucketShape(frameCount: 3, size: VideoSize(height: 8, width: 8)), random: &random).get()
        XCTAssertEqual(s.fps, 24)
        XCTAssertEqual(s.pixels.count, 3 * 3 * 64)
        for (t, index) in s.frameIndices.enumerated() {
            let red = (s.pixels[t * 64 + 27] + 1) / 2 * 255
            XCTAssertEqual(red, Float(20 * index + 20), accuracy: 8, "slot \(t) took frame \(index)")
        }
    }

    func testDownscaleAveragesAsTorchBilinear() throws {
        let clips = try ClipFolder()
        try clips.video("g.mkv", frames: 1, size: VideoSize(height: 4, width: 4)) { _, y, x, _ in UInt8(40 * x + 8 * y) }
        let table = try DatasetTable(parsing: "path,text,num_frames,height,width\ng.mkv,g,1,4,4\n", baseFolder: clips.path)
        var random = NumPyRandom(seed: 0)
        let s = try TrainingDataset(table: table).sample(row: 0, shape: BucketShape(frameCount: 1, size: VideoSize(height: 2, width: 2)), random: &random).get()
        // Output (y, x) averages source rows 2y, 2y+1 and columns 2x, 2x+1: 40·(2x + 0.5) + 8·(2y + 0.5).
        for y in 0..<2 { for x in 0..<2 {
            let want = (Float(40 * (2 * x) + 20 + 8 * (2 * y) + 4) / 255 - 0.5) / 0.5
            XCTAssertEqual(s.pixels[y * 2 + x], want, accuracy: 1e-6)
        } }
    }

    func testImageIsOneFrameAtImageFPS() throws {
        let clips = try ClipFolder()
        try clips.image("i.png", size: VideoSize(height: 9, width: 14)) { y, x, c in PILResizeReference.sourceByte(y: y, x: x, c: c) }
        let table = try DatasetTable(parsing: "path,text,num_frames,height,width\ni.png,pic,1,9,14\n", baseFolder: clips.path)
        let dataset = try TrainingDataset(table: table)
        let (batch, failures) = dataset.read(BatchRequest(batch: batch([0], frames: 1, height: 4, width: 3), seed: 1))
        XCTAssertEqual(failures, [])
        let b = try XCTUnwrap(batch)
        XCTAssertEqual(b.video.shape, [1, 3, 1, 4, 3])
        XCTAssertEqual(b.fps, [120])
        XCTAssertEqual(b.aspectRatios, [4.0 / 3.0])
        XCTAssertEqual(b.texts, ["pic"])
        let ref = try XCTUnwrap(PILResizeReference.cases.first { $0.th == 4 && $0.tw == 3 })
        let red = b.samples[0].pixels.prefix(12).map { Int((($0 + 1) / 2 * 255).rounded()) }
        XCTAssertEqual(red, (0..<12).map { Int(ref.hwc[$0 * 3]) })
    }

    func testBadRowsAreSkippedCountedAndAnAllBadDatasetFails() throws {
        let clips = try ClipFolder()
        try clips.video("good.mkv", frames: 6, size: VideoSize(height: 4, width: 4), pattern: Self.frameColour)
        try clips.video("short.mkv", frames: 2, size: VideoSize(height: 4, width: 4), pattern: Self.frameColour)
        try Data("not a video".utf8).write(to: URL(fileURLWithPath: clips.file("corrupt.mp4")))
        let csv = """
            path,text,num_frames,height,width
            good.mkv,g,6,4,4
            missing.mp4,m,6,4,4
            corrupt.mp4,c,6,4,4
            short.mkv,s,6,4,4
            notes.txt,n,6,4,4
            """
        let dataset = try TrainingDataset(table: DatasetTable(parsing: csv, baseFolder: clips.path))
        let warnings = WarningLog()
        let loader = DataLoader(dataset: dataset, requests: [BatchRequest(batch: batch([0, 1, 2, 3, 4], frames: 4, height: 4, width: 4), seed: 9),
                                                             BatchRequest(batch: batch([1, 2], frames: 4, height: 4, width: 4), seed: 10)],
                                prefetchDepth: 0, warn: { warnings.append($0) })
        let first = try XCTUnwrap(try loader.next())
        XCTAssertEqual(first.samples.map(\.row), [0])
        XCTAssertEqual(first.video.shape, [1, 3, 4, 4, 4])
        XCTAssertNil(try loader.next(), "the all-bad second batch is skipped, then the requests end")
        XCTAssertEqual(loader.report.samplesRead, 1)
        XCTAssertEqual(loader.report.counts, ["missing": 2, "corrupt": 2, "too short": 1, "unsupported": 1])
        XCTAssertEqual(loader.report.failures.first { $0.row == 3 }?.reason, .tooShort(frames: 2, needed: 4))
        XCTAssertEqual(warnings.messages.count, 6)
        XCTAssert(warnings.messages[0].contains("missing.mp4"))

        let bad = try TrainingDataset(table: DatasetTable(parsing: "path,text,num_frames,height,width\nno.mp4,a,6,4,4\nshort.mkv,b,6,4,4\n",
                                                           baseFolder: clips.path))
        let many = (0..<50).map { BatchRequest(batch: batch([$0 % 2], frames: 4, height: 4, width: 4), seed: UInt64($0)) }
        for depth in [0, 2] {
            let l = DataLoader(dataset: bad, requests: many, prefetchDepth: depth, warn: { _ in })
            XCTAssertThrowsError(try l.next()) {
                guard case .noReadableRows(let report)? = $0 as? DatasetError else { return XCTFail("\($0)") }
                XCTAssertEqual(report.failedRows, [0, 1], "stops once every row failed, not after all 50 requests")
                XCTAssertEqual(report.samplesRead, 0)
            }
        }
    }

    func testPrefetchReturnsTheBatchesOfDirectReading() throws {
        let clips = try ClipFolder()
        var csv = "path,text,num_frames,height,width\n"
        for i in 0..<4 {
            try clips.video("v\(i).mkv", frames: 12 + i, size: VideoSize(height: 6, width: 10)) { f, y, x, c in UInt8((f * 10 + i * 50 + c * 3 + x) % 256) }
            csv += "v\(i).mkv,clip \(i),\(12 + i),6,10\n"
        }
        let dataset = try TrainingDataset(table: DatasetTable(parsing: csv, baseFolder: clips.path))
        let requests = BatchRequest.sequence([batch([0, 1], frames: 5, height: 4, width: 4), batch([2, 3], frames: 5, height: 4, width: 4),
                                              batch([3, 0], frames: 3, height: 6, width: 6), batch([1], frames: 8, height: 4, width: 8)], seed: 77)
        func all(_ depth: Int) throws -> [TrainingBatch] {
            let loader = DataLoader(dataset: dataset, requests: requests, prefetchDepth: depth)
            var out = [TrainingBatch]()
            while let b = try loader.next() { out.append(b) }
            return out
        }
        let direct = try all(0), prefetched = try all(2)
        XCTAssertEqual(direct.count, 4)
        XCTAssertEqual(prefetched, direct)
        XCTAssertEqual(direct.map { $0.video.shape }, [[2, 3, 5, 4, 4], [2, 3, 5, 4, 4], [2, 3, 3, 6, 6], [1, 3, 8, 4, 8]])
        // A loader stopped early returns nil afterwards and its thread ends.
        let early = DataLoader(dataset: dataset, requests: requests, prefetchDepth: 1)
        XCTAssertNotNil(try early.next())
        early.stop()
        XCTAssertNil(try early.next())
    }
}

/// Warnings collected from the loader's callback.
final class WarningLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list = [String]()
    var messages: [String] { lock.withLock { list } }
    func append(_ m: String) { lock.withLock { list.append(m) } }
}
