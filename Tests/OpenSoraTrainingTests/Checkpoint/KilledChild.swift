import Foundation
import XCTest

/// Runs one test of this binary as a child process, waits until it creates `marker` (it has reached the moment to
/// crash in), then SIGKILLs it: a real crash, not a simulated one.
enum KilledChild {
    static func run(test: String, environment: [String: String], marker: String, timeout: TimeInterval,
                    file: StaticString = #filePath, line: UInt = #line) throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["OpenSoraTrainingTests.\(test)"]
        child.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        let deadline = Date().addingTimeInterval(timeout)
        while !FileManager.default.fileExists(atPath: marker), child.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker), "the child never reached the point to kill", file: file, line: line)
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal, file: file, line: line)
    }
}
