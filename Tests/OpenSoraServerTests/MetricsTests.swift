import Foundation
import Hummingbird
import HummingbirdTesting
@testable import OpenSoraServer
import XCTest

final class MetricsTests: XCTestCase {
    /// After one 3-step job: the store's counts, one finished job, two timed steps (the first includes the prompt's
    /// encoding and is left out), and the HTTP answers so far, in Prometheus' text format.
    func testMetricsCountJobsStepsAndAnswers() async throws {
        let server = try makeServer(try temporaryDataDirectory())
        try await server.application.test(.live) { client in
            let submitted = try await client.post(smallRequest(steps: 3))
            let id = try XCTUnwrap(submitted.string("id"))
            _ = try await client.waitFor(id, ["succeeded"])
            _ = try await client.execute(uri: "/v1/videos/not-an-id", method: .get)
            let response = try await client.execute(uri: "/metrics", method: .get)
            XCTAssertEqual(response.status, .ok)
            XCTAssertTrue(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let lines = Set(String(buffer: response.body).split(separator: "\n").map(String.init))
            for line in ["opensora_jobs{state=\"succeeded\"} 1", "opensora_jobs{state=\"queued\"} 0",
                         "opensora_jobs_finished_total{state=\"succeeded\"} 1", "opensora_jobs_finished_total{state=\"failed\"} 0",
                         "opensora_sampling_step_seconds_count 2", "opensora_http_responses_total{status=\"4xx\"} 1"] {
                XCTAssertTrue(lines.contains(line), "missing \(line) in \(lines.sorted())")
            }
            let sum = try XCTUnwrap(lines.first { $0.hasPrefix("opensora_sampling_step_seconds_sum ") })
            XCTAssertGreaterThan(Double(sum.split(separator: " ")[1]) ?? 0, 0)
            XCTAssertTrue(lines.contains { $0.hasPrefix("opensora_http_responses_total{status=\"2xx\"} ") })
        }
    }
}
