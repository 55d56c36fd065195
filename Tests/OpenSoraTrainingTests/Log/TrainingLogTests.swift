import Foundation
@testable import OpenSoraTraining
import XCTest

final class TrainingLogTests: XCTestCase {
    func path() throws -> String {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return (folder as NSString).appendingPathComponent("log.jsonl")
    }

    static func entry(_ step: Int, loss: Double? = nil, eval: [String: Double]? = nil) -> TrainingLogEntry {
        TrainingLogEntry(step: step, epoch: step / 4, loss: loss ?? 1 / Double(step), lr: 1e-4 * Double(step) / 10,
                         samplesPerSecond: 3.25, elapsedSeconds: Double(step) * 2, evalLosses: eval)
    }

    func testEntriesRoundTripLineByLine() throws {
        let p = try path()
        let log = try TrainingLog(path: p, resumingAfter: 0)
        let entries = [Self.entry(1), Self.entry(2, loss: .nan), Self.entry(3, eval: ["240p": 0.5, "360p": 0.25])]
        for e in entries { try log.append(e) }
        let text = try String(contentsOfFile: p, encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").count, 3, "one line per step, each flushed")
        XCTAssertTrue(text.hasPrefix(#"{"elapsed_s":2,"epoch":0,"loss":1,"lr":1e-05,"samples_per_s":3.25,"step":1}"#), text)
        let back = try TrainingLog.read(p)
        XCTAssertEqual(back.count, 3)
        XCTAssertEqual(back[0], entries[0])
        XCTAssertTrue(back[1].loss.isNaN, "a NaN loss is logged, not dropped")
        XCTAssertEqual(back[2], entries[2])
        XCTAssertThrowsError(try log.append(Self.entry(3))) { error in
            XCTAssertEqual(error as? TrainingLogError, .stepNotIncreasing(previous: 3, next: 3))
        }
    }

    func testResumeDropsTheStepsBeyondTheCheckpointAndATornLine() throws {
        let p = try path()
        do {
            let log = try TrainingLog(path: p, resumingAfter: 0)
            for s in 1...7 { try log.append(Self.entry(s)) }
        }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: p))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"step":8,"epo"#.utf8))  // a write cut by a crash
        try handle.close()
        XCTAssertEqual(try TrainingLog.read(p).map(\.step), Array(1...7))

        let resumed = try TrainingLog(path: p, resumingAfter: 5)
        XCTAssertEqual(resumed.lastStep, 5)
        try resumed.append(Self.entry(6, loss: 9))
        let steps = try TrainingLog.read(p)
        XCTAssertEqual(steps.map(\.step), [1, 2, 3, 4, 5, 6], "no duplicate step after a resume")
        XCTAssertEqual(steps.last?.loss, 9)

        try Data("{\"step\":1}\n".utf8).write(to: URL(fileURLWithPath: p))
        XCTAssertThrowsError(try TrainingLog.read(p)) { error in
            guard case .malformedLine(_, let line, _) = error as? TrainingLogError else { return XCTFail("\(error)") }
            XCTAssertEqual(line, 1)
        }
    }

    func testProgressLineShowsStepLossLrSpeedAndETA() {
        var line = TrainingProgressLine(totalSteps: 1000, startStep: 100)
        _ = line.line(for: TrainingLogEntry(step: 110, epoch: 0, loss: 0.5, lr: 2e-5, samplesPerSecond: 12.34, elapsedSeconds: 10))
        let text = line.line(for: TrainingLogEntry(step: 120, epoch: 0, loss: 0.25, lr: 2e-5, samplesPerSecond: 12.34, elapsedSeconds: 20))
        // 20 steps in 20 s this session, 880 to go: 880 s.
        XCTAssertEqual(text, "step 120/1000 (12.0%) | loss 0.2500 (avg 0.3750) | lr 2.00e-05 | 12.3 samples/s | ETA 14m40s")
        XCTAssertEqual(TrainingProgressLine.duration(3725), "1h02m")
        XCTAssertEqual(TrainingProgressLine.duration(59), "59s")
        XCTAssertEqual(TrainingProgressLine.duration(2 * 86400 + 3 * 3600), "2d03h")
        XCTAssertNil(line.eta(for: TrainingLogEntry(step: 100, epoch: 0, loss: 1, lr: 1, samplesPerSecond: 1, elapsedSeconds: 0)))
    }
}
