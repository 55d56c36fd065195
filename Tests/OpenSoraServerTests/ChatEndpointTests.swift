import Foundation
import Hummingbird
import HummingbirdTesting
import OpenSora
import OpenSoraTraining
import XCTest

/// A small OpenAI-compatible chat endpoint on loopback: the model name picks its behaviour.
final class StubChatEndpoint: @unchecked Sendable {
    private let lock = NSLock()
    private var bodies: [[String: Any]] = []
    private var calls: [String: Int] = [:]

    var requests: [[String: Any]] { lock.withLock { bodies } }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            let data = Data(try await request.body.collect(upTo: 10 << 20).readableBytesView)
            let body = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
            let model = body["model"] as? String ?? ""
            let n: Int = self.lock.withLock {
                self.bodies.append(body)
                self.calls[model, default: 0] += 1
                return self.calls[model]!
            }
            func reply(_ text: String) -> Response {
                let json = try! JSONSerialization.data(withJSONObject: ["choices": [["message": ["role": "assistant", "content": text]]]])
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: json)))
            }
            switch model {
            case "flaky" where n == 1: return Response(status: .serviceUnavailable, headers: [.retryAfter: "0"])
            case "slow": try await Task.sleep(nanoseconds: 2_000_000_000); return reply("too late")
            case "refuses": return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: "model not found")))
            case "garbled": return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{\"nope\": 1}")))
            default: return reply("A red circle\nmoves left.")
            }
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

final class ChatEndpointTests: XCTestCase {
    static func client(_ port: Int, model: String, timeout: Double = 5) -> ChatCompletionsClient {
        var c = ChatCompletionsClient.Configuration(baseURL: URL(string: "http://127.0.0.1:\(port)/v1")!, apiKey: "k", model: model)
        c.timeout = timeout
        c.initialBackoff = 0.05
        c.maxAttempts = 3
        return ChatCompletionsClient(c)
    }

    /// Replies come back with line breaks as spaces; a 503 is retried; a 400 is not; a time-out, a malformed answer
    /// and an unreachable endpoint are typed errors.
    func testTheClientRetriesAndReportsEveryFailure() async throws {
        let stub = StubChatEndpoint()
        try await stub.application().test(.live) { http in
            let port = try XCTUnwrap(http.port)
            XCTAssertEqual(try Self.client(port, model: "ok").complete([.text("hi")]), "A red circle moves left.")
            XCTAssertEqual(try Self.client(port, model: "flaky").complete([.text("hi")]), "A red circle moves left.")
            XCTAssertThrowsError(try Self.client(port, model: "refuses").complete([.text("hi")])) {
                XCTAssertEqual($0 as? ChatCompletionsClient.ChatError, .http(status: 400, body: "model not found"))
            }
            XCTAssertThrowsError(try Self.client(port, model: "garbled").complete([.text("hi")])) {
                guard case .malformed = $0 as? ChatCompletionsClient.ChatError else { return XCTFail("\($0)") }
            }
            let slow = Self.client(port, model: "slow", timeout: 0.5)
            XCTAssertThrowsError(try slow.complete([.text("hi")])) {
                guard case .unreachable = $0 as? ChatCompletionsClient.ChatError else { return XCTFail("\($0)") }
            }
            let sent = stub.requests.first { $0["model"] as? String == "ok" }
            XCTAssertEqual(sent?["max_tokens"] as? Int, 300)
        }
        XCTAssertThrowsError(try Self.client(9, model: "ok", timeout: 1).complete([.text("hi")])) {
            guard case .unreachable = $0 as? ChatCompletionsClient.ChatError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try ChatCompletionsClient.Configuration.fromEnvironment(model: "m", baseURL: "ftp://x"))
    }

    /// Refinement: each loop segment on its own, an empty one replaced by a generated prompt, a JSON suffix kept; the
    /// system message carries the instructions; an unreachable endpoint is an error, not a silent pass-through.
    func testPromptsAreRefinedSegmentBySegment() async throws {
        let stub = StubChatEndpoint()
        try await stub.application().test(.live) { http in
            let refiner = PromptRefiner(client: Self.client(try XCTUnwrap(http.port), model: "ok"))
            XCTAssertEqual(try refiner.refine("un chat rouge"), "A red circle moves left.")
            XCTAssertEqual(try refiner.refine("|0|a cat|2|"), "|0|A red circle moves left.|2|A red circle moves left.")
            XCTAssertEqual(try refiner.refine(#"a dog{"reference_path": "x.png"}"#), #"A red circle moves left.{"reference_path": "x.png"}"#)
            let sent = stub.requests
            XCTAssertEqual(sent.count, 4)
            let messages = sent.map { $0["messages"] as? [[String: Any]] ?? [] }
            XCTAssertTrue(messages.allSatisfy { $0.first?["role"] as? String == "system" && $0.count == 2 })
            func userText(_ m: [[String: Any]]) -> String? { ((m.last?["content"] as? [[String: Any]])?.first?["text"]) as? String }
            XCTAssertEqual(messages.map(userText), ["un chat rouge", "a cat", "Generate one example.", "a dog"])
            XCTAssertNotEqual(messages[1].first?["content"] as? String, messages[2].first?["content"] as? String)
        }
        XCTAssertThrowsError(try PromptRefiner(client: Self.client(9, model: "ok", timeout: 1)).refine("a cat"))
    }

    /// `data caption`: three JPEG frames of a video after the prompt, the caption into `text`; an unreadable file and
    /// a refused request are rows with a reason; a rerun sends only the rows not yet captioned.
    func testCaptioningSendsThreeFramesAndResumes() async throws {
        let stub = StubChatEndpoint()
        let dir = try temporaryDataDirectory()
        let video = (dir as NSString).appendingPathComponent("clip.mp4")
        _ = try FFmpeg.run(["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-frames:v", "20", video])
        FileManager.default.createFile(atPath: (dir as NSString).appendingPathComponent("bad.mp4"), contents: Data("x".utf8))
        let csv = (dir as NSString).appendingPathComponent("m.csv")
        let table = CSVTable(header: ["path", "text"], records: [["clip.mp4", "old"], ["bad.mp4", "keep me"]])
        try await stub.application().test(.live) { http in
            let port = try XCTUnwrap(http.port)
            let out = CaptionTool.defaultOutput(for: csv)
            let result = try CaptionTool(client: Self.client(port, model: "ok"), workers: 2).run(table, csvPath: csv, output: out)
            XCTAssertEqual(result.header, ["path", "text", "error"])
            XCTAssertEqual(result.records[0], ["clip.mp4", "A red circle moves left.", ""])
            XCTAssertEqual(result.records[1][1], "keep me")
            XCTAssertFalse(result.records[1][2].isEmpty)
            let sent = try XCTUnwrap(stub.requests.first)
            let content = try XCTUnwrap(((sent["messages"] as? [[String: Any]])?.last?["content"]) as? [[String: Any]])
            XCTAssertEqual(content.map { $0["type"] as? String }, ["text", "image_url", "image_url", "image_url"])
            let url = try XCTUnwrap((content[1]["image_url"] as? [String: Any])?["url"] as? String)
            XCTAssertTrue(url.hasPrefix("data:image/jpeg;base64,/9j/"), String(url.prefix(40)))
            // Interrupted after the first row: the journal holds it, the rerun sends only the second.
            try Data(#"{"row":0,"path":"clip.mp4","values":["journalled caption",""]}"#.utf8 + [10])
                .write(to: URL(fileURLWithPath: out + ".partial.jsonl"))
            let before = stub.requests.count
            let again = try CaptionTool(client: Self.client(port, model: "refuses"), workers: 1).run(table, csvPath: csv, output: out)
            XCTAssertEqual(again.records[0][1], "journalled caption")
            XCTAssertEqual(stub.requests.count, before)  // the bad file never reaches the endpoint
            XCTAssertTrue(again.records[1][2].contains("ffprobe") || again.records[1][2].contains("ffmpeg"), again.records[1][2])
        }
    }
}
