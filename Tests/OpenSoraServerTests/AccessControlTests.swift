import Foundation
import Hummingbird
import HummingbirdTesting
@testable import OpenSoraServer
import XCTest

final class AccessControlTests: XCTestCase {
    func server(token: String? = nil, rate: Double? = nil, burst: Int = 60) throws -> VideoServer {
        try makeTestServer(try temporaryDataDirectory()) {
            $0.token = token
            $0.ratePerSecond = rate
            $0.rateBurst = burst
        }
    }

    /// With a token every route but /healthz needs it: none or a wrong one is 401 with WWW-Authenticate, the right one passes.
    func testTheBearerTokenGuardsEveryRouteButHealth() async throws {
        try await server(token: "s3cret").application.test(.live) { client in
            let open = try await client.execute(uri: "/healthz", method: .get)
            XCTAssertEqual(open.status, .ok)
            let missing = try JSONAnswer(try await client.execute(uri: "/v1/videos", method: .get))
            XCTAssertEqual(missing.status, .unauthorized)
            XCTAssertEqual(missing.errorField, "Authorization")
            XCTAssertEqual(missing.headers[.wwwAuthenticate], "Bearer")
            let wrong = try JSONAnswer(try await client.execute(uri: "/v1/videos", method: .get, headers: [.authorization: "Bearer s3cre"]))
            XCTAssertEqual(wrong.status, .unauthorized)
            XCTAssertTrue(wrong.errorMessage.contains("not this server's"), wrong.errorMessage)
            let submit = try JSONAnswer(try await client.execute(uri: "/v1/videos", method: .post, headers: [.contentType: "application/json"],
                                                                 body: ByteBuffer(string: smallRequest())))
            XCTAssertEqual(submit.status, .unauthorized)
            let right = try JSONAnswer(try await client.execute(uri: "/v1/videos", method: .get, headers: [.authorization: "Bearer s3cret"]))
            XCTAssertEqual(right.status, .ok)
            XCTAssertEqual(right.int("total"), 0)
        }
    }

    /// A client past its burst gets 429 with Retry-After, on any route; without a limit nothing is refused.
    func testAClientPastItsBurstIsAskedToWait() async throws {
        try await server(rate: 0.01, burst: 3).application.test(.live) { client in
            for _ in 0..<3 {
                let status = try await client.execute(uri: "/healthz", method: .get).status
                XCTAssertEqual(status, .ok)
            }
            let refused = try JSONAnswer(try await client.execute(uri: "/v1/videos", method: .get))
            XCTAssertEqual(refused.status, .tooManyRequests)
            XCTAssertEqual(refused.errorField, nil)
            XCTAssertTrue(refused.errorMessage.contains("3 requests"), refused.errorMessage)
            XCTAssertGreaterThanOrEqual(Int(refused.headers[.retryAfter] ?? "") ?? 0, 1)
        }
        try await server(rate: nil).application.test(.live) { client in
            for _ in 0..<80 {
                let status = try await client.execute(uri: "/healthz", method: .get).status
                XCTAssertEqual(status, .ok)
            }
        }
    }

    /// The bucket refills at its rate, per client.
    func testTheTokenBucketRefillsPerClient() {
        final class Clock: @unchecked Sendable { var now = Date(timeIntervalSince1970: 0) }
        let clock = Clock()
        let limiter = RateLimiter(perSecond: 2, burst: 2, now: { clock.now })
        XCTAssertNil(limiter.take("a"))
        XCTAssertNil(limiter.take("a"))
        XCTAssertEqual(limiter.take("a") ?? 0, 0.5, accuracy: 1e-9)
        XCTAssertNil(limiter.take("b"))
        clock.now = clock.now.addingTimeInterval(0.5)
        XCTAssertNil(limiter.take("a"))
        XCTAssertNotNil(limiter.take("a"))
        XCTAssertTrue(AccessControl.equalInConstantTime("Bearer x", "Bearer x"))
        XCTAssertFalse(AccessControl.equalInConstantTime("Bearer x", "Bearer xy"))
        XCTAssertFalse(AccessControl.equalInConstantTime("", "Bearer x"))
    }
}
