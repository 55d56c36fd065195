import Foundation
import Hummingbird
import HummingbirdTesting
import OpenSora
@testable import OpenSoraServer
import XCTest

/// `llm_refine` and `POST /v1/prompts` against a small OpenAI-compatible stub on loopback: the refined prompt is what
/// the video is made from (and what its sidecar says); an LLM that fails leaves the prompt as given and says why; a
/// server without an LLM answers 422 naming the field.
final class PromptRefinementTests: XCTestCase {
    func testARefinedPromptMakesTheVideo() async throws {
        let stub = StubChatEndpoint()
        let data = try temporaryDataDirectory()
        try await stub.application().test(.live) { http in
            let refiner = PromptRefiner(client: ChatEndpointTests.client(try XCTUnwrap(http.port), model: "ok"))
            let server = try makeTestServer(data) { $0.refiner = refiner }
            try await server.application.test(.live) { client in
                let body = smallRequest(steps: 1).replacingOccurrences(of: #""prompt": "a red circle moving left""#,
                                                                       with: #""prompt": "un cercle rouge", "llm_refine": true"#)
                let answer = try await client.post(body)
                XCTAssertEqual(answer.status, .accepted, answer.errorMessage)
                XCTAssertEqual(answer.options["prompt"] as? String, "un cercle rouge")
                XCTAssertEqual(answer.options["refined_prompt"] as? String, "A red circle moves left.")
                let done = try await client.waitFor(try XCTUnwrap(answer.string("id")), ["succeeded", "failed"])
                XCTAssertEqual(done.string("state"), "succeeded")
                let folder = (data as NSString).appendingPathComponent("videos/\(answer.string("id")!)")
                let sidecar = try String(contentsOfFile: (folder as NSString).appendingPathComponent("video_0000.mp4.json"), encoding: .utf8)
                XCTAssertTrue(sidecar.contains("A red circle moves left."), sidecar)

                let random = try JSONAnswer(try await client.execute(uri: "/v1/prompts", method: .post, headers: [.contentType: "application/json"],
                                                                     body: ByteBuffer(string: #"{"prompt": ""}"#)))
                XCTAssertEqual(random.status, .ok)
                XCTAssertEqual(random.string("prompt"), "A red circle moves left.")
                let system = (stub.requests.last?["messages"] as? [[String: Any]])?.first?["content"] as? String ?? ""
                XCTAssertTrue(system.contains("Write one new, varied English description"), "an empty prompt asks for a random one")
            }
        }
    }

    func testAFailingLLMLeavesThePromptAndSaysWhy() async throws {
        let stub = StubChatEndpoint()
        let data = try temporaryDataDirectory()
        try await stub.application().test(.live) { http in
            let refiner = PromptRefiner(client: ChatEndpointTests.client(try XCTUnwrap(http.port), model: "refuses"))
            let server = try makeTestServer(data) { $0.refiner = refiner }
            try await server.application.test(.live) { client in
                let answer = try await client.post(#"{"prompt": "a red circle moving left", "llm_refine": true, "num_sampling_steps": 1}"#)
                XCTAssertEqual(answer.status, .accepted)
                XCTAssertNil(answer.options["refined_prompt"] as? String)
                XCTAssertTrue((answer.options["refine_error"] as? String ?? "").contains("model not found"), "\(answer.options)")
                let prompts = try JSONAnswer(try await client.execute(uri: "/v1/prompts", method: .post, headers: [:],
                                                                      body: ByteBuffer(string: #"{"prompt": "a cat"}"#)))
                XCTAssertEqual(prompts.status, .badGateway)
                XCTAssertTrue(prompts.errorMessage.contains("the LLM endpoint failed"), prompts.errorMessage)
            }
        }
    }

    func testWithoutAnLLMRefinementIsA422AndBadFlagsA400() async throws {
        let server = try makeServer(try temporaryDataDirectory())
        try await server.application.test(.live) { client in
            let refine = try await client.post(#"{"prompt": "a", "llm_refine": true}"#)
            XCTAssertEqual(refine.status, .unprocessableContent)
            XCTAssertEqual(refine.errorField, "llm_refine")
            XCTAssertTrue(refine.errorMessage.contains("OPENAI_API_KEY"), refine.errorMessage)
            let notBool = try await client.post(#"{"prompt": "a", "llm_refine": "yes"}"#)
            XCTAssertEqual(notBool.status, .badRequest)
            XCTAssertTrue(notBool.errorMessage.contains("llm_refine is a string; accepted: true or false"), notBool.errorMessage)
            let prompts = try JSONAnswer(try await client.execute(uri: "/v1/prompts", method: .post, headers: [:], body: ByteBuffer(string: "[]")))
            XCTAssertEqual(prompts.status, .badRequest)
            let page = try await client.getJSON("/v1/videos")
            XCTAssertEqual(page.int("total"), 0)
        }
    }
}

