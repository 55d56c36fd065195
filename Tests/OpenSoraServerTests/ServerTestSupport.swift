import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OpenSora
@testable import OpenSoraServer
import XCTest

/// The tiny random-weight preset, built by each server's worker (the models stay loaded, as in `serve`).
let tinyModels: ModelLoader = { ModelContainer(models: try ModelBundle.tinyRandom(), policy: .keepLoaded) }

/// A small, fast video request: 144p at 9:16 is 144x256, 17 frames, a step or two.
func smallRequest(steps: Int = 2, seed: Int = 7) -> String {
    #"{"prompt": "a red circle moving left", "resolution": "144p", "aspect_ratio": "9:16", "num_frames": 17, "fps": 12, "seed": \#(seed), "num_sampling_steps": \#(steps)}"#
}

/// A job that is still sampling when the test acts on it: the most steps accepted, at 240p and 51 frames.
let longRequest = #"{"prompt": "a blue square moving right", "resolution": "240p", "num_frames": 51, "num_sampling_steps": 1000}"#

extension XCTestCase {
    func temporaryDataDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opensora-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir.path
    }

    func makeServer(_ dataDirectory: String, capacity: Int = 32, maxUploadBytes: Int = 32 << 20) throws -> VideoServer {
        try makeTestServer(dataDirectory) {
            $0.queueCapacity = capacity
            $0.maxUploadBytes = maxUploadBytes
        }
    }
}

/// A parsed JSON answer.
struct JSONAnswer {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let object: [String: Any]

    init(_ response: TestResponse) throws {
        status = response.status
        headers = response.headers
        let data = Data(response.body.readableBytesView)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw OpenSoraError.invalidInput("not a JSON object: \(String(decoding: data, as: UTF8.self))")
        }
        self.object = object
    }

    subscript(_ key: String) -> Any? { object[key] }
    var string: (String) -> String? { { object[$0] as? String } }
    var int: (String) -> Int? { { (object[$0] as? NSNumber)?.intValue } }
    var options: [String: Any] { object["options"] as? [String: Any] ?? [:] }
    var errorField: String? { (object["error"] as? [String: Any])?["field"] as? String }
    var errorMessage: String { (object["error"] as? [String: Any])?["message"] as? String ?? "" }
}

extension TestClientProtocol {
    func post(_ json: String, contentType: String = "application/json") async throws -> JSONAnswer {
        try JSONAnswer(try await execute(uri: "/v1/videos", method: .post, headers: [.contentType: contentType],
                                         body: ByteBuffer(string: json)))
    }

    func getJSON(_ uri: String) async throws -> JSONAnswer { try JSONAnswer(try await execute(uri: uri, method: .get)) }

    /// Polls a job until it is in one of `states` (or fails the wait after `timeout` seconds).
    func waitFor(_ id: String, _ states: Set<String>, minimumStep: Int = 0, timeout: Double = 90) async throws -> JSONAnswer {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let job = try await getJSON("/v1/videos/\(id)")
            if let state = job.string("state"), states.contains(state), (job.int("step") ?? 0) >= minimumStep { return job }
            guard Date() < deadline else {
                throw OpenSoraError.invalidInput("job \(id) is \(job.string("state") ?? "?") at step \(job.int("step") ?? -1) after \(timeout) s")
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }
}

/// The executable beside the test bundle (both are products of the same build).
let servedBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("opensora")

/// A running `opensora serve`, its log in a file, and the port it reported.
struct Served {
    let process: Process
    let port: Int
}

/// The real binary on loopback (`serve --port 0`), and curl against it.
extension XCTestCase {
    func serve(_ data: String, log: String) throws -> Served {
        guard FileManager.default.isExecutableFile(atPath: servedBinary.path) else {
            throw XCTSkip("opensora is not built at \(servedBinary.path): run `swift build --build-tests` first")
        }
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let p = Process()
        p.executableURL = servedBinary
        p.arguments = ["serve", "--port", "0", "--data-dir", data]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, p.isRunning {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("listening on http://127.0.0.1:") }),
               let port = line.split(separator: ":").last.flatMap({ Int($0.prefix(while: \.isNumber)) }) {
                return Served(process: p, port: port)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        p.terminate()
        throw OpenSoraError.invalidInput("serve did not report its port: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    /// curl's output (body, then the status code on the last line).
    func curl(_ arguments: [String]) throws -> (status: Int, body: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "-w", "\n%{http_code}"] + arguments
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    func object(_ body: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }
}

/// A server on a free loopback port with the tiny preset, `adjust` changing its configuration (outside any test case,
/// so Sendable closures may call it).
func makeTestServer(_ dataDirectory: String, _ adjust: (inout ServerConfiguration) -> Void = { _ in }) throws -> VideoServer {
    var configuration = ServerConfiguration(dataDirectory: dataDirectory)
    configuration.port = 0
    adjust(&configuration)
    var logger = Logger(label: "opensora.serve.test")
    logger.logLevel = .warning
    return try VideoServer(configuration: configuration, loadModels: tinyModels, defaults: nil, logger: logger)
}
