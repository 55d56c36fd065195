import Foundation
import OpenSora
@testable import OpenSoraTraining
import XCTest

/// The motion score and the camera-motion detector on clips with known motion, and both tools on broken files.
final class MotionToolsTests: XCTestCase {
    /// Smooth value noise (hashed lattice, 6-pixel cells, smoothstep between): detail enough for Farneback at every
    /// pyramid level — on a texture of long sine waves its 1e-3 regulariser wins and OpenCV's flow is ≈ 0 too.
    static func texture(_ x: Double, _ y: Double) -> Double {
        func lattice(_ i: Int, _ j: Int) -> Double {
            var n = UInt32(truncatingIfNeeded: (i &* 374_761_393 &+ j &* 668_265_263) & 0xffff_ffff)
            n = (n ^ (n >> 13)) &* 1_274_126_177
            return Double(n & 0xff)
        }
        let gx = (x + 1000) / 6, gy = (y + 1000) / 6
        let i = Int(gx.rounded(.down)), j = Int(gy.rounded(.down))
        var fx = gx - Double(i), fy = gy - Double(j)
        fx = fx * fx * (3 - 2 * fx); fy = fy * fy * (3 - 2 * fy)
        let top = lattice(i, j) * (1 - fx) + lattice(i + 1, j) * fx, bottom = lattice(i, j + 1) * (1 - fx) + lattice(i + 1, j + 1) * fx
        return top * (1 - fy) + bottom * fy
    }

    static func plane(width: Int, height: Int, _ at: (Double, Double) -> Double) -> GrayPlane {
        var values = [Float](repeating: 0, count: width * height)
        for y in 0..<height { for x in 0..<width { values[y * width + x] = Float(at(Double(x), Double(y)).rounded()) } }
        return GrayPlane(width: width, height: height, values: values)
    }

    /// Content moving right 1 px a frame at 288 wide moves 10 px between sampled frames, ≈ 20 px at 576 wide
    /// (575/287 with align_corners): the mean of |dx| and |dy| is ≈ 10. A portrait clip moving down scores the same
    /// (turned landscape first); a still clip scores 0; one shorter than 31 frames repeats its last frame (lower).
    func testMotionScoreOfKnownTranslations() {
        let frames = (0..<31).map { f in Self.plane(width: 288, height: 160) { x, y in Self.texture(x - Double(f), y) } }
        let score = MotionScore().score(frames: frames)
        XCTAssertEqual(score, 10 * 575 / 287 / 2, accuracy: 0.6)
        let portrait = (0..<31).map { f in Self.plane(width: 160, height: 288) { x, y in Self.texture(y - Double(f), x) } }
        XCTAssertEqual(MotionScore().score(frames: portrait), score, accuracy: 0.2)
        XCTAssertEqual(MotionScore().score(frames: [frames[0], frames[0]]), 0, accuracy: 1e-3)
        // 21 frames: pairs 0→10, 10→20, 20→20 — two thirds of the motion.
        XCTAssertEqual(MotionScore().score(frames: Array(frames.prefix(21))), score * 2 / 3, accuracy: 0.4)
    }

    /// Frames 0…45 (every `interval`-th) of a 120×80 clip whose frame f shows the texture moved by `move`.
    static func clip(every interval: Int, _ move: @escaping (Int, Double, Double) -> Double) -> [GrayPlane] {
        stride(from: 0, through: 45, by: interval).map { f in plane(width: 120, height: 80) { x, y in move(f, x, y) } }
    }

    /// Content moving right, left, down, up (`speed` px a frame), down-right, growing `zoom` a frame, and still.
    static func moves(speed v: Double, zoom z: Double) -> [(String, (Int, Double, Double) -> Double)] {
        [("right", { f, x, y in texture(x - v * Double(f), y) }), ("left", { f, x, y in texture(x + v * Double(f), y) }),
         ("down", { f, x, y in texture(x, y - v * Double(f)) }), ("up", { f, x, y in texture(x, y + v * Double(f)) }),
         ("down-right", { f, x, y in texture(x - v * Double(f), y - v * Double(f)) }),
         ("zoom", { f, x, y in texture(60 + (x - 60) / (1 + z * Double(f)), 40 + (y - 40) / (1 + z * Double(f))) }),
         ("still", { _, x, y in texture(x, y) })]
    }

    /// Frames 0, 15, 30, 45 of a pan (content moving 0.2 px a frame), a tilt, a zoom in (0.5 % a frame about the
    /// centre) and a still clip get the reference's Farneback labels (content moving right: the camera panned left).
    func testCameraMotionOfKnownMoves() {
        let want = ["right": "pan left", "left": "pan right", "down": "tilt up", "up": "tilt down", "zoom": "zoom in", "still": "static"]
        for (name, move) in Self.moves(speed: 0.2, zoom: 0.005) where want[name] != nil {
            XCTAssertEqual(CameraMotion().label(frames: Self.clip(every: CameraMotion.frameInterval, move)), want[name], name)
        }
    }

    /// The tracks vocabulary on the same kinds of moves, large enough to pass a quarter of the short side (80 px → 20):
    /// content moving right 0.5 px a frame over 45 frames drags the grid 22 px right, so the camera panned left;
    /// content moving down is VBench's down_down, a tilt up.
    func testTrackedCameraMotionOfKnownMoves() {
        let want = ["right": "pan_left", "left": "pan_right", "down": "tilt_up", "up": "tilt_down", "down-right": "pan_left+tilt_up",
                    "zoom": "zoom_in", "still": "static"]
        for (name, move) in Self.moves(speed: 0.5, zoom: 0.02) {
            XCTAssertEqual(CameraMotionTracks().label(frames: Self.clip(every: CameraMotionTracks.frameInterval, move)), want[name], name)
        }
    }

    /// VBench's tables on hand-built displacements: opposite edges moving apart is a zoom in; one moving edge against
    /// still ones is static (its "None" dropped); nothing in either table is Undetermined.
    func testTheTrackRules() {
        let start = CameraMotionTracks.grid(width: 100, height: 100)
        func moved(_ f: ((x: Double, y: Double)) -> (x: Double, y: Double)) -> String {
            CameraMotionTracks().label(start: start, end: start.map(f), width: 100, height: 100)
        }
        XCTAssertEqual(moved { ($0.x + 30, $0.y) }, "pan_left")
        XCTAssertEqual(moved { ($0.x, $0.y + 30) }, "tilt_up")
        XCTAssertEqual(moved { (50 + ($0.x - 50) * 2, 50 + ($0.y - 50) * 2) }, "zoom_in")
        XCTAssertEqual(moved { (50 + ($0.x - 50) / 4, 50 + ($0.y - 50) / 4) }, "zoom_out")
        XCTAssertEqual(moved { ($0.x + 24, $0.y) }, "static")  // under a quarter of the 100-px side
        XCTAssertEqual(moved { p in p.y < 5 ? (p.x + 40, p.y) : p }, "static")
        let topRightLeftDown: ((x: Double, y: Double)) -> (x: Double, y: Double) = { p in
            if p.y < 5 { return (p.x + 40, p.y) }
            return p.x < 5 ? (p.x, p.y + 40) : p
        }
        XCTAssertEqual(moved(topRightLeftDown), "Undetermined")
    }

    /// The frame rule's thresholds and the clip rule's majority, fallbacks and tie order, on hand-built values.
    func testTheLabelRules() {
        XCTAssertEqual(CameraMotion.frameType(magnitude: 0.99, angle: 0, outward: 0.9), "static")
        XCTAssertEqual(CameraMotion.frameType(magnitude: 2, angle: 0, outward: 0.39), "zoom out")
        XCTAssertEqual(CameraMotion.frameType(magnitude: 2, angle: 0, outward: 0.61), "zoom in")
        XCTAssertEqual(CameraMotion.frameType(magnitude: 2, angle: 44.9, outward: 0.5), "pan left")
        XCTAssertEqual(CameraMotion.frameType(magnitude: 2, angle: 315, outward: 0.5), "pan left")
        XCTAssertEqual(CameraMotion.frameType(magnitude: 2, angle: 45, outward: 0.5), "tilt up")
        XCTAssertEqual(CameraMotion.frameType(magnitude: 2, angle: 135, outward: 0.5), "pan right")
        XCTAssertEqual(CameraMotion.frameType(magnitude: 2, angle: 225, outward: 0.5), "tilt down")
        XCTAssertEqual(CameraMotion.videoType(["pan left", "pan left", "static"]), "pan left")
        XCTAssertEqual(CameraMotion.videoType(["pan left", "static"]), "unknown")
        XCTAssertEqual(CameraMotion.videoType(["pan left", "tilt up"]), "pan/tilt")
        XCTAssertEqual(CameraMotion.videoType(["pan left", "zoom in"]), "dynamic")
        XCTAssertEqual(CameraMotion.videoType([]), "pan/tilt")
    }

    /// Through the tools: a moving clip and an image score (a pan gets its label), every broken file is a row with a reason, and the table
    /// keeps its rows in order with the reference's column names.
    func testToolsScoreClipsAndKeepBrokenRows() throws {
        let folder = try ClipFolder()
        try folder.video("pan.mkv", frames: 46, size: VideoSize(height: 80, width: 120)) { f, y, x, _ in
            UInt8(Self.texture(Double(x) - 0.2 * Double(f), Double(y)).rounded())
        }
        try folder.video("shift.mkv", frames: 31, size: VideoSize(height: 160, width: 288)) { f, y, x, _ in
            UInt8(Self.texture(Double(x - f), Double(y)).rounded())
        }
        try folder.image("still.png", size: VideoSize(height: 40, width: 60)) { y, x, _ in UInt8(Self.texture(Double(x), Double(y)).rounded()) }
        FileManager.default.createFile(atPath: folder.file("empty.mp4"), contents: Data())
        let whole = try Data(contentsOf: URL(fileURLWithPath: folder.file("pan.mkv")))
        FileManager.default.createFile(atPath: folder.file("cut.mkv"), contents: whole.prefix(300))
        FileManager.default.createFile(atPath: folder.file("text.avi"), contents: Data("not a video".utf8))
        let csv = folder.file("meta.csv")
        let input = CSVTable(header: ["path", "text"], records: [["shift.mkv", "a"], ["still.png", "b"], ["empty.mp4", "c"], ["cut.mkv", "d"],
                                                                  ["text.avi", "e"], ["missing.mp4", "f"], ["notes.txt", "g"]])
        try input.write(to: csv)

        let motion = try MotionTool(workers: 2).run(input, csvPath: csv, output: MotionTool.defaultOutput(for: csv))
        XCTAssertEqual(MotionTool.defaultOutput(for: csv), folder.file("meta_flow.csv"))
        XCTAssertEqual(motion.header, ["path", "text", "flow", "error"])
        XCTAssertEqual(motion.records.map { $0[0] }, input.records.map { $0[0] })
        // As the in-memory frames of the first test: ≈ 10.
        XCTAssertEqual(Double(motion.records[0][2])!, 10 * 575 / 287 / 2, accuracy: 0.6)
        XCTAssertEqual(motion.records[0][3], "")
        XCTAssertEqual(Double(motion.records[1][2])!, 0, accuracy: 1e-3)
        for row in motion.records[2...] {
            XCTAssertEqual(row[2], "", row[0])
            XCTAssertFalse(row[3].isEmpty, row[0])
        }
        XCTAssertTrue(motion.records[6][3].contains("unsupported extension"), motion.records[6][3])

        let panned = CSVTable(header: input.header, records: [["pan.mkv", "a"]] + input.records.dropFirst())
        let camera = try CameraMotionTool(workers: 2).run(panned, csvPath: csv, output: CameraMotionTool.defaultOutput(for: csv))
        XCTAssertEqual(camera.header, ["path", "text", "cmotion", "error"])
        XCTAssertEqual(camera.records[0][2], "pan left")
        for row in camera.records[2...] { XCTAssertEqual(row[2], "", row[0]); XCTAssertFalse(row[3].isEmpty, row[0]) }
        XCTAssertEqual(try CSVTable(parsing: String(contentsOfFile: folder.file("meta_cmotion.csv"), encoding: .utf8)).records, camera.records)
    }
}
