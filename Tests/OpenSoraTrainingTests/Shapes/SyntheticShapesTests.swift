import Foundation
import OpenSora
@testable import OpenSoraTraining
import XCTest

final class SyntheticShapesTests: XCTestCase {
    let format = ShapeClipFormat()

    /// The grammar's geometry on many random clips: side in [W/4, W/3], travel ≥ a third of the frame along the motion,
    /// the shape inside the frame at every frame, constant speed along the caption's direction only.
    func testClipGeometryFollowsTheGrammar() {
        for split in SyntheticShapes.Split.allCases {
            for i in 0..<300 {
                let clip = SyntheticShapes.clip(i, seed: 9, split: split, format: format)
                let w = Double(format.size.width), h = Double(format.size.height)
                XCTAssertTrue(split.captions.contains(clip.caption))
                XCTAssertGreaterThanOrEqual(clip.side, w / 4)
                XCTAssertLessThanOrEqual(clip.side, w / 3)
                let horizontal = clip.caption.direction == .left || clip.caption.direction == .right
                XCTAssertGreaterThanOrEqual(clip.travel, (horizontal ? w : h) / 3)
                let first = clip.corner(frame: 0), last = clip.corner(frame: format.frameCount - 1)
                for f in 0..<format.frameCount {
                    let c = clip.corner(frame: f)
                    XCTAssertTrue(c.x >= 0 && c.y >= 0 && c.x + clip.side <= w && c.y + clip.side <= h, "\(clip.caption) frame \(f) at \(c)")
                }
                let u = clip.caption.direction.unit
                XCTAssertEqual(last.x - first.x, u.x * clip.travel, accuracy: 1e-9)
                XCTAssertEqual(last.y - first.y, u.y * clip.travel, accuracy: 1e-9)
            }
        }
    }

    func testTheSameSeedAndIndexGiveTheSameClipAndOthersDiffer() {
        let a = SyntheticShapes.clip(5, seed: 1, split: .training, format: format)
        XCTAssertEqual(a, SyntheticShapes.clip(5, seed: 1, split: .training, format: format))
        XCTAssertNotEqual(a, SyntheticShapes.clip(5, seed: 2, split: .training, format: format))
        XCTAssertNotEqual(a.start.x, SyntheticShapes.clip(77, seed: 1, split: .training, format: format).start.x)
    }

    /// Every one of the 84 combinations, written as MP4 and decoded again, is read by the detector as its caption.
    func testEveryCombinationWrittenAsMP4IsDetectedAsItsCaption() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shapes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = try SyntheticShapes.write(to: folder, count: 84, seed: 4, split: .all, format: format)
        let table = try DatasetTable(contentsOf: csv)
        XCTAssertEqual(table.rows.count, 84)
        XCTAssertEqual(Set(table.rows.map(\.text)), Set(ShapeCaption.all.map(\.text)))
        for row in table.rows {
            XCTAssertEqual([row.numFrames, row.height, row.width], [17, 64, 64])
            let probe = try VideoReader.probe(row.path)
            XCTAssertEqual(probe.frames, 17)
            XCTAssertEqual(probe.fps, 8, accuracy: 1e-6)
            let caption = try XCTUnwrap(ShapeCaption(parsing: row.text))
            let d = ShapeDetector.detect(try VideoReader.read(row.path, size: probe.size))
            XCTAssertEqual(d.color, caption.color, "\(row.text): \(d)")
            XCTAssertEqual(d.shape, caption.shape, "\(row.text): \(d)")
            XCTAssertEqual(d.direction, caption.direction, "\(row.text): \(d)")
            XCTAssertEqual(d.framesWithShape, 17)
        }
        XCTAssertEqual(try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").first,
                       "path,text,num_frames,height,width,aspect_ratio,fps,resolution")
    }

    func testTheTrainingSplitHasNoHeldOutCombination() {
        let captions = (0..<500).map { SyntheticShapes.clip($0, seed: 3, split: .training, format: format).caption }
        XCTAssertTrue(Set(captions).isDisjoint(with: ShapeCaption.heldOut))
        XCTAssertEqual(Set(captions).count, 72)
    }

    func testBadSizesAndCountsAreRefusedNamingTheValue() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shapes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertThrowsError(try SyntheticShapes.write(to: folder, count: 0, seed: 1)) { XCTAssertTrue("\($0)".contains("--count 0"), "\($0)") }
        let small = ShapeClipFormat(size: VideoSize(height: 32, width: 32), frameCount: 17, fps: 8)
        XCTAssertThrowsError(try SyntheticShapes.write(to: folder, count: 1, seed: 1, format: small)) { XCTAssertTrue("\($0)".contains("32x32"), "\($0)") }
        let short = ShapeClipFormat(size: VideoSize(height: 64, width: 64), frameCount: 9, fps: 8)
        XCTAssertThrowsError(try SyntheticShapes.write(to: folder, count: 1, seed: 1, format: short)) { XCTAssertTrue("\($0)".contains("9 frames"), "\($0)") }
    }
}
