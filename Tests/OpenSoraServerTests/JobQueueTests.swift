import Foundation
import Hummingbird
import HummingbirdTesting
import OpenSora
@testable import OpenSoraServer
import XCTest

/// The queue: bounded, cancellable at the next step, persistent across restarts, and a crash's running job
/// settled rather than lost or run twice.
final class JobQueueTests: XCTestCase {
    func testCancelQueuedAndRunningJobsAndAFullQueueAnswers429() async throws {
        let server = try makeServer(try temporaryDataDirectory(), capacity: 1)
        try await server.application.test(.live) { client in
            let longAnswer = try await client.post(longRequest)
            let long = try XCTUnwrap(longAnswer.string("id"))
            _ = try await client.waitFor(long, ["running"], minimumStep: 1)
            let waiting = try await client.post(smallRequest(steps: 1))
            XCTAssertEqual(waiting.status, .accepted)
            let waitingID = try XCTUnwrap(waiting.string("id"))

            let refused = try await client.post(smallRequest(steps: 1))
            XCTAssertEqual(refused.status, .tooManyRequests)
            XCTAssertEqual(refused.headers[.retryAfter], "30")
            XCTAssertTrue(refused.errorMessage.contains("1 waiting"), refused.errorMessage)

            let cancelledQueued = try JSONAnswer(try await client.execute(uri: "/v1/videos/\(waitingID)", method: .delete))
            XCTAssertEqual(cancelledQueued.status, .ok)
            XCTAssertEqual(cancelledQueued.string("state"), "cancelled")

            let cancelling = try JSONAnswer(try await client.execute(uri: "/v1/videos/\(long)", method: .delete))
            XCTAssertEqual(cancelling.status, .accepted)
            XCTAssertEqual(cancelling["cancel_requested"] as? Bool, true)
            let stopped = try await client.waitFor(long, ["cancelled", "succeeded", "failed"])
            XCTAssertEqual(stopped.string("state"), "cancelled")
            XCTAssertLessThan(stopped.int("step") ?? 1000, 1000)
            XCTAssertEqual(stopped.string("error"), "cancelled while running")
            let noContent = try await client.execute(uri: "/v1/videos/\(long)/content", method: .get)
            XCTAssertEqual(noContent.status, .conflict)

            // The cancelled queued job never ran.
            let neverRan = try await client.getJSON("/v1/videos/\(waitingID)")
            XCTAssertEqual(neverRan.string("state"), "cancelled")
            XCTAssertNil(neverRan["started_at"] as? String)
            XCTAssertEqual(neverRan.int("step"), 0)
            // Once the queue has room again, a submission is accepted.
            let accepted = try await client.post(smallRequest(steps: 1))
            XCTAssertEqual(accepted.status, .accepted)
            let list = try await client.getJSON("/v1/videos?state=cancelled")
            XCTAssertEqual(list.int("total"), 2)
        }
    }

    func testJobsSurviveARestartAndACrashedRunningJobIsFailedWithTheReason() async throws {
        let data = try temporaryDataDirectory()
        let first = try makeServer(data)
        let ids: [String] = try await first.application.test(.live) { client in
            let longAnswer = try await client.post(longRequest)
            let long = try XCTUnwrap(longAnswer.string("id"))
            _ = try await client.waitFor(long, ["running"], minimumStep: 1)
            let secondAnswer = try await client.post(smallRequest(steps: 1, seed: 11))
            let second = try XCTUnwrap(secondAnswer.string("id"))
            let thirdAnswer = try await client.post(smallRequest(steps: 1, seed: 12))
            let third = try XCTUnwrap(thirdAnswer.string("id"))
            return [long, second, third]
        }
        // A clean stop puts the running job back in the queue, at its place.
        let longID = try XCTUnwrap(VideoJobID(ids[0]))
        XCTAssertEqual(try first.store.job(longID)?.state, .queued)
        XCTAssertEqual(try first.store.job(longID)?.step, 0)
        // Now leave it as a kill -9 would: still `running`, at some step.
        try first.store.forceState(longID, .running, step: 3)

        let second = try makeServer(data)
        XCTAssertEqual(second.recovered, [longID])
        try await second.application.test(.live) { client in
            let crashed = try await client.getJSON("/v1/videos/\(ids[0])")
            XCTAssertEqual(crashed.string("state"), "failed")
            XCTAssertTrue((crashed.string("error") ?? "").contains("interrupted at step 3/1000"), crashed.string("error") ?? "")
            XCTAssertEqual((crashed.options["num_sampling_steps"] as? NSNumber)?.intValue, 1000)
            var started = [String]()
            for (id, seed) in zip(ids.dropFirst(), [11, 12]) {
                let job = try await client.waitFor(id, ["succeeded", "failed", "cancelled"])
                XCTAssertEqual(job.string("state"), "succeeded", job.string("error") ?? "")
                XCTAssertEqual((job.options["seed"] as? NSNumber)?.intValue, seed)
                started.append(try XCTUnwrap(job.string("started_at")))
            }
            XCTAssertLessThan(started[0], started[1], "jobs run in submission order")
            let page = try await client.getJSON("/v1/videos")
            XCTAssertEqual(page.int("total"), 3)
            XCTAssertEqual((page["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }, ids.reversed())
            let failedOne = try await client.getJSON("/v1/videos?state=failed")
            XCTAssertEqual(failedOne.int("total"), 1)
        }
        // The crashed job is not run again by a third start.
        let third = try makeServer(data)
        XCTAssertEqual(third.recovered, [])
        XCTAssertEqual(try third.store.job(longID)?.state, .failed)
        try await third.application.test(.live) { client in
            let again = try await client.getJSON("/v1/videos/\(ids[0])")
            XCTAssertEqual(again.string("state"), "failed")
            XCTAssertEqual(again.int("step"), 3)
        }
    }
}
