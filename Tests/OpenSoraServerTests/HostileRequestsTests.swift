import Foundation
import Hummingbird
import HummingbirdTesting
import OpenSora
@testable import OpenSoraServer
import XCTest

/// Malformed and hostile requests get a 4xx and never a 5xx: schemathesis (PyPI; scripts/bootstrap.sh puts it in
/// .venv-test) generates hundreds against `/openapi.json` on the real binary, and hand-written ones cover the rest.
final class HostileRequestsTests: XCTestCase {
    /// The repository's root: the folder above the build products holding Package.swift.
    static var root: URL? {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return nil
    }

    /// Every check but "positive data acceptance": the API has rules JSON Schema cannot state (num_frames or duration,
    /// the memory estimate), so schema-valid bodies it rejects with a 400 are right. The events stream stays open until
    /// its job ends, which a fuzzer reads as a time-out; JobEventsTests covers it.
    func testSchemathesisFindsNoServerErrorAndNoAnswerOffTheDocument() throws {
        let root = try XCTUnwrap(Self.root)
        let tool = root.appendingPathComponent(".venv-test/bin/schemathesis").path
        guard FileManager.default.isExecutableFile(atPath: tool) else { return XCTFail("\(tool) is missing: run scripts/bootstrap.sh") }
        let data = try temporaryDataDirectory()
        let served = try serve((data as NSString).appendingPathComponent("state"), log: (data as NSString).appendingPathComponent("serve.log"))
        defer { if served.process.isRunning { kill(served.process.processIdentifier, SIGKILL) } }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = ["run", "http://127.0.0.1:\(served.port)/openapi.json", "--checks", "all", "--exclude-checks", "positive_data_acceptance",
                       "--max-examples", "20", "--request-timeout", "20", "--phases", "coverage,fuzzing", "--seed", "2026",
                       "--exclude-path", "/v1/videos/{id}/events"]
        p.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"]) { _, b in b }
        p.currentDirectoryURL = URL(fileURLWithPath: data)  // its .schemathesis/ cache goes with the test's folder
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains(" passed"), text)
        XCTAssertTrue(served.process.isRunning, "the server survived")
    }

    func testHandWrittenHostileRequests() async throws {
        let server = try makeServer(try temporaryDataDirectory())
        try await server.application.test(.live) { client in
            // Invalid UTF-8 in the body, a huge number, a deep nesting, an unknown method.
            let utf8 = try JSONAnswer(try await client.execute(uri: "/v1/videos", method: .post, headers: [.contentType: "application/json"],
                                                               body: ByteBuffer(bytes: [0x7B, 0x22, 0x70, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D])))
            XCTAssertEqual(utf8.status, .badRequest)
            let huge = try await client.post(#"{"prompt": "a", "seed": 1e400}"#)
            XCTAssertEqual(huge.status, .badRequest)
            let deep = try await client.post(String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000))
            XCTAssertEqual(deep.status, .badRequest)
            let trace = try await client.execute(uri: "/v1/videos", method: .init("TRACE")!)
            XCTAssertEqual(trace.status, .methodNotAllowed)
            XCTAssertEqual(trace.headers[.allow], "POST, GET")
            let put = try await client.execute(uri: "/v1/videos/\(UUID().uuidString)", method: .put)
            XCTAssertEqual(put.status, .methodNotAllowed)
            XCTAssertEqual(put.headers[.allow], "GET, DELETE")
            let unknown = try await client.execute(uri: "/nowhere", method: .get)
            XCTAssertEqual(unknown.status, .notFound)
        }
    }
}
