import Foundation
import Hummingbird
import HummingbirdTesting
import OpenSora
@testable import OpenSoraServer
import XCTest

/// Bad input gets a 4xx naming the field and what is accepted (the checks `generate` makes), and queues nothing.
final class RequestValidationTests: XCTestCase {
    func testEveryBadFieldIsA4xxNamingItAndNothingIsQueued() async throws {
        let server = try makeServer(try temporaryDataDirectory())
        let cases: [(body: String, field: String, message: String)] = [
            ("{}", "prompt", "prompt is required"),
            (#"{"prompt": 5}"#, "prompt", "prompt is a number; accepted: a string"),
            (#"{"prompt": "   "}"#, "prompt", "prompt is empty"),
            (#"{"prompt": "a", "resolution": "999p"}"#, "resolution", "accepted: 144p, 256, 240p, 360p"),
            (#"{"prompt": "a", "aspect_ratio": "7:5"}"#, "aspect_ratio", "9:16"),
            (#"{"prompt": "a", "num_frames": 5}"#, "num_frames", "num_frames 5 is impossible: use 1 (image) or at least 17"),
            (#"{"prompt": "a", "num_frames": 1000000}"#, "num_frames", "num_frames 1000000 is out of range; accepted: 1...10000"),
            (#"{"prompt": "a", "num_frames": "lots"}"#, "num_frames", "invalid frame count 'lots'"),
            (#"{"prompt": "a", "num_frames": 17, "duration": "2s"}"#, "duration", "not both"),
            (#"{"prompt": "a", "duration": "3s"}"#, "duration", "accepted: 2s, 4s, 8s, 16s, 32s"),
            (#"{"prompt": "a", "num_sampling_steps": 0}"#, "num_sampling_steps", "num_sampling_steps 0 is out of range; accepted: 1...1000"),
            (#"{"prompt": "a", "num_sampling_steps": 1.5}"#, "num_sampling_steps", "not a whole number"),
            (#"{"prompt": "a", "num_sampling_steps": 99999999999999999999}"#, "num_sampling_steps", "out of range"),
            (#"{"prompt": "a", "fps": 0}"#, "fps", "fps 0 is out of range; accepted: 1...1000"),
            (#"{"prompt": "a", "cfg_scale": "high"}"#, "cfg_scale", "cfg_scale is a string; accepted: a number"),
            (#"{"prompt": "a", "cfg_scale": 1e9}"#, "cfg_scale", "out of range"),
            (#"{"prompt": "a", "seed": -1}"#, "seed", "negative"),
            (#"{"prompt": "a", "camera_motion": "spin"}"#, "camera_motion", "accepted: pan right, pan left"),
            (#"{"prompt": "a", "aes": "lots"}"#, "aes", "a number or \"none\""),
            (#"{"prompt": "a", "flow": true}"#, "flow", "flow is a boolean; accepted: a number"),
            (#"{"prompt": "a", "loop": 0}"#, "loop", "loop 0 is out of range; accepted: 1...100"),
            (#"{"prompt": "a", "mask_strategy": "0,a"}"#, "mask_strategy", "invalid mask strategy '0,a'"),
            (#"{"prompt": "a", "reference_path": "/etc/passwd"}"#, "reference_path", "unknown field 'reference_path'; accepted: prompt,"),
            (#"{"prompt": "a cat{\"reference_path\": \"/etc/passwd\"}"}"#, "prompt", "names a reference_path"),
            (#"{"prompt": "a cat{\"steps\": 3}"}"#, "prompt", "invalid key 'steps' in prompt JSON"),
            ("not json", "body", "not valid JSON"),
            ("[1, 2]", "body", "the body is an array"),
        ]
        try await server.application.test(.live) { client in
            for c in cases {
                let answer = try await client.post(c.body)
                XCTAssertEqual(answer.status, .badRequest, c.body)
                XCTAssertEqual(answer.errorField, c.field, c.body)
                XCTAssertTrue(answer.errorMessage.contains(c.message), "\(c.body): \(answer.errorMessage)")
            }
            let wrongType = try await client.post(smallRequest(), contentType: "text/plain")
            XCTAssertEqual(wrongType.status, .unsupportedMediaType)
            XCTAssertEqual(wrongType.errorField, "Content-Type")
            let huge = try await client.post(#"{"prompt": "\#(String(repeating: "a", count: 70_000))"}"#)
            XCTAssertEqual(huge.status, .contentTooLarge)
            XCTAssertEqual(huge.errorField, "body")
            let tooBig = try await client.post(#"{"prompt": "a", "resolution": "720p", "num_frames": 4000}"#)
            XCTAssertEqual(tooBig.status, .unprocessableContent)
            XCTAssertTrue(tooBig.errorMessage.contains("this request needs about"), tooBig.errorMessage)
            let page = try await client.getJSON("/v1/videos")
            XCTAssertEqual(page.int("total"), 0)
        }
    }

    /// The server's range checks are the CLI's: the same request fails `GenerationRequest.validate()` with the
    /// same message.
    func testTheServerAndTheCLIShareOneCheck() throws {
        var request = GenerationRequest(prompts: ["a"])
        var settings = GenerationSettings()
        settings.numFrames = 5
        try settings.apply(to: &request)
        XCTAssertThrowsError(try request.validate()) { error in
            XCTAssertEqual(error as? InvalidSetting, InvalidSetting(field: "num_frames",
                "num_frames 5 is impossible: use 1 (image) or at least 17 (the timestep transform needs whole 17-frame clips)"))
        }
        var options = VideoOptions(prompt: "a")
        options.settings = settings
        XCTAssertThrowsError(try options.resolve(defaults: nil)) { error in
            XCTAssertEqual((error as? InvalidSetting)?.field, "num_frames")
        }
    }

    func testUnknownMalformedAndPathLikeIDs() async throws {
        let server = try makeServer(try temporaryDataDirectory())
        try await server.application.test(.live) { client in
            let unknown = UUID().uuidString.lowercased()
            for uri in ["/v1/videos/\(unknown)", "/v1/videos/\(unknown)/content"] {
                let r = try await client.getJSON(uri)
                XCTAssertEqual(r.status, .notFound, uri)
            }
            let missingDelete = try await client.execute(uri: "/v1/videos/\(unknown)", method: .delete)
            XCTAssertEqual(missingDelete.status, .notFound)
            for id in ["not-a-uuid", "..", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "..%2Fjobs.sqlite", String(repeating: "a", count: 300)] {
                for uri in ["/v1/videos/\(id)", "/v1/videos/\(id)/content"] {
                    let r = try await client.execute(uri: uri, method: .get)
                    XCTAssertTrue([.badRequest, .notFound].contains(r.status), "\(uri): \(r.status)")
                    XCTAssertFalse(String(buffer: r.body).contains("SQLite format"), uri)
                }
                let d = try await client.execute(uri: "/v1/videos/\(id)", method: .delete)
                XCTAssertTrue([.badRequest, .notFound].contains(d.status), "\(id): \(d.status)")
            }
            let malformed = try await client.getJSON("/v1/videos/not-a-uuid")
            XCTAssertEqual(malformed.status, .badRequest)
            XCTAssertEqual(malformed.errorField, "id")
            let badLimit = try await client.getJSON("/v1/videos?limit=0")
            XCTAssertEqual(badLimit.status, .badRequest)
            XCTAssertEqual(badLimit.errorField, "limit")
            let badState = try await client.getJSON("/v1/videos?state=done")
            XCTAssertEqual(badState.errorField, "state")
            XCTAssertTrue(badState.errorMessage.contains("queued, running, succeeded, failed, cancelled"))
        }
    }
}
