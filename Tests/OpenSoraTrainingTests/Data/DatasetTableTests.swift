@testable import OpenSoraTraining
import XCTest

final class DatasetTableTests: XCTestCase {
    func testColumnsInAnyOrderRelativePathsAndExtras() throws {
        let csv = """
            text,width,aes,path,height,num_frames,fps
            "a dog, running",640,5.5,clips/a.mp4,360,51,30
            an image,100,,/abs/b.png,80,1.0,
            """
        let table = try DatasetTable(parsing: csv, source: "d.csv", baseFolder: "/data/set")
        XCTAssertEqual(table.rows.count, 2)
        XCTAssertEqual(table.rows[0].path, "/data/set/clips/a.mp4")
        XCTAssertEqual(table.rows[1].path, "/abs/b.png")
        XCTAssertEqual(table.rows[0].text, "a dog, running")
        XCTAssertEqual(table.sampleInfos, [SampleInfo(numFrames: 51, height: 360, width: 640), SampleInfo(numFrames: 1, height: 80, width: 100)])
        XCTAssertEqual(table.rows[0].number("aes"), 5.5)
        XCTAssertEqual(table.rows[0].number("fps"), 30)
        XCTAssertNil(table.rows[1].number("aes"))
        XCTAssertNil(table.rows[1].number("flow"))
    }

    func testLoadsFromAFileResolvingAgainstItsFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("train.csv")
        try "path,text,num_frames,height,width\n../x/v.mp4,t,10,20,30\n".write(to: file, atomically: true, encoding: .utf8)
        let table = try DatasetTable(contentsOf: file.path)
        XCTAssertEqual(table.rows.first?.path, dir.deletingLastPathComponent().appendingPathComponent("x/v.mp4").standardizedFileURL.path)
    }

    func testMissingColumnsAndBadValuesAreNamed() {
        XCTAssertThrowsError(try DatasetTable(parsing: "path,text,num_frames,width\na.mp4,t,1,2\n", source: "d.csv", baseFolder: "/")) {
            XCTAssertEqual($0 as? DatasetError, .missingColumn("height", source: "d.csv", found: ["path", "text", "num_frames", "width"]))
            XCTAssert("\($0)".contains("'height'"))
        }
        XCTAssertThrowsError(try DatasetTable(parsing: "path,text,num_frames,height,width\na.mp4,t,many,2,3\n", source: "d.csv", baseFolder: "/")) {
            XCTAssertEqual($0 as? DatasetError, .invalidValue(source: "d.csv", line: 2, column: "num_frames", value: "many", expected: "an integer ≥ 1"))
        }
        XCTAssertThrowsError(try DatasetTable(parsing: "path,text,num_frames,height,width\n", source: "d.csv", baseFolder: "/")) {
            XCTAssertEqual($0 as? DatasetError, .empty(source: "d.csv"))
        }
        XCTAssertThrowsError(try DatasetTable(contentsOf: "/nonexistent/train.csv")) {
            guard case .unreadable(let p, _)? = $0 as? DatasetError else { return XCTFail("\($0)") }
            XCTAssertEqual(p, "/nonexistent/train.csv")
        }
    }
}
