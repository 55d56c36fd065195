import Foundation
import OpenSora
import XCTest

/// `opensora serve` as a user runs it: the real binary on loopback, driven with curl, killed with SIGKILL mid-job.
final class ServeCommandTests: XCTestCase {
    func submit(_ port: Int, _ body: String) throws -> String {
        let r = try curl(["-X", "POST", "http://127.0.0.1:\(port)/v1/videos", "-H", "Content-Type: application/json", "-d", body])
        XCTAssertEqual(r.status, 202, r.body)
        return object(r.body)["id"] as? String ?? ""
    }

    func job(_ port: Int, _ id: String) throws -> [String: Any] { object(try curl(["http://127.0.0.1:\(port)/v1/videos/\(id)"]).body) }

    func testAKill9MidJobLosesNoJobAndRunsNoneTwice() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else { return XCTFail("needs /usr/bin/curl (scripts/bootstrap.sh installs it)") }
        let data = try temporaryDataDirectory()
        let first = try serve((data as NSString).appendingPathComponent("state"), log: (data as NSString).appendingPathComponent("first.log"))
        defer { if first.process.isRunning { kill(first.process.processIdentifier, SIGKILL) } }
        XCTAssertEqual(try curl(["http://127.0.0.1:\(first.port)/healthz"]).status, 200)
        let long = try submit(first.port, longRequest)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, (try job(first.port, long)["step"] as? Int ?? 0) < 1 { Thread.sleep(forTimeInterval: 0.05) }
        let short = try submit(first.port, smallRequest(steps: 1))
        XCTAssertEqual(try job(first.port, long)["state"] as? String, "running")
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        XCTAssertEqual(first.process.terminationReason, .uncaughtSignal)

        let second = try serve((data as NSString).appendingPathComponent("state"), log: (data as NSString).appendingPathComponent("second.log"))
        defer { if second.process.isRunning { kill(second.process.processIdentifier, SIGKILL) } }
        let crashed = try job(second.port, long)
        XCTAssertEqual(crashed["state"] as? String, "failed")
        XCTAssertTrue((crashed["error"] as? String ?? "").contains("interrupted at step"), "\(crashed)")
        var after = try job(second.port, short)
        let until = Date().addingTimeInterval(60)
        while Date() < until, after["state"] as? String != "succeeded", after["state"] as? String != "failed" {
            Thread.sleep(forTimeInterval: 0.1)
            after = try job(second.port, short)
        }
        XCTAssertEqual(after["state"] as? String, "succeeded", "\(after)")
        let video = try curl(["-o", "/dev/null", "-r", "0-99", "http://127.0.0.1:\(second.port)/v1/videos/\(short)/content"])
        XCTAssertEqual(video.status, 206)
        // SIGTERM is a clean stop.
        second.process.terminate()
        second.process.waitUntilExit()
        XCTAssertEqual(second.process.terminationStatus, 0)
    }

    func testBadFlagsAreOneLineErrors() throws {
        let data = try temporaryDataDirectory()
        guard FileManager.default.isExecutableFile(atPath: servedBinary.path) else { throw XCTSkip("opensora is not built") }
        let p = Process()
        p.executableURL = servedBinary
        p.arguments = ["serve", "--port", "70000", "--data-dir", data]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertNotEqual(p.terminationStatus, 0)
        XCTAssertTrue(text.contains("--port 70000 is out of range; accepted: 0...65535"), text)
    }
}
