import Foundation
import MLXTensor
@testable import OpenSora
import XCTest

/// Starts `opensora launch` from a test: the real launcher, real processes, loopback only.
enum ParallelLaunch {
    static var opensora: URL { CommandLineTests.binary }
    static var testBinary: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() }

    struct Result {
        let status: Int32
        let stderr: String
        let seconds: TimeInterval
    }

    /// `opensora <arguments>` with extra environment; stdout dropped, stderr kept.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: opensora.path) else {
            throw OpenSoraError.invalidInput("opensora is not built at \(opensora.path): run `swift build --build-tests` first")
        }
        let p = Process()
        p.executableURL = opensora
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        let start = Date()
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stderr: String(decoding: e, as: UTF8.self), seconds: Date().timeIntervalSince(start))
    }

    /// `parallelCase` on two ranks; rank 0's results.
    static func results(of parallelCase: ParallelCase, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Tensor] {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("rank0.safetensors").path
        let r = try run(["launch", "-n", "2", "--peer-timeout", "120", "--", testBinary.path, "OpenSoraTests.ParallelRankEntry/testRank"],
                        environment: [ParallelRankEntry.caseVariable: parallelCase.rawValue, ParallelRankEntry.outputVariable: out])
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return try Tensor.load(safetensors: out)
    }
}
