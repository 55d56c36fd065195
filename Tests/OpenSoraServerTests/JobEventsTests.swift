import Foundation
import Hummingbird
import HummingbirdTesting
@testable import OpenSoraServer
import XCTest

final class JobEventsTests: XCTestCase {
    /// The parsed `data:` JSON of every `update` event of a server-sent event stream.
    static func updates(_ body: String) throws -> [[String: Any]] {
        try body.components(separatedBy: "\n\n").filter { $0.contains("event: update") }.map { block in
            let line = try XCTUnwrap(block.split(separator: "\n").first { $0.hasPrefix("data: ") })
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any])
        }
    }

    /// A job's stream reports every change of state and step, in order, and ends with its final state; a finished
    /// job's stream is that one event; an unknown job is 404.
    func testTheEventStreamFollowsAJobToTheEnd() async throws {
        let server = try makeServer(try temporaryDataDirectory())
        try await server.application.test(.live) { client in
            let submitted = try await client.post(smallRequest(steps: 3))
            XCTAssertEqual(submitted.status, .accepted)
            let id = try XCTUnwrap(submitted.string("id"))
            let response = try await client.execute(uri: "/v1/videos/\(id)/events", method: .get)
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(response.headers[.contentType], "text/event-stream")
            let events = try Self.updates(String(buffer: response.body))
            let states = events.compactMap { $0["state"] as? String }, steps = events.compactMap { ($0["step"] as? NSNumber)?.intValue }
            XCTAssertEqual(states.last, "succeeded")
            XCTAssertEqual(steps, steps.sorted())
            XCTAssertEqual(steps.last, 3)
            XCTAssertEqual(Set(states).subtracting(["queued", "running", "succeeded"]), [])
            XCTAssertGreaterThan(events.count, 1)
            let again = try Self.updates(String(buffer: try await client.execute(uri: "/v1/videos/\(id)/events", method: .get).body))
            XCTAssertEqual(again.count, 1)
            XCTAssertEqual(again.first?["content_url"] as? String, "/v1/videos/\(id)/content")
            let missing = try await client.execute(uri: "/v1/videos/\(UUID().uuidString.lowercased())/events", method: .get)
            XCTAssertEqual(missing.status, .notFound)
        }
    }
}
