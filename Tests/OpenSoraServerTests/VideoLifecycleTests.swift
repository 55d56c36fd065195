import Foundation
import Hummingbird
import HummingbirdTesting
import OpenSora
@testable import OpenSoraServer
import XCTest

/// A video through the API as a client makes one: submit, poll, download (whole and by byte range), delete.
final class VideoLifecycleTests: XCTestCase {
    func testSubmitPollDownloadWithRangesThenDelete() async throws {
        let data = try temporaryDataDirectory()
        let server = try makeServer(data)
        let scratch = try temporaryDataDirectory()
        try await server.application.test(.live) { client in
            let submitted = try await client.post(smallRequest(steps: 2))
            XCTAssertEqual(submitted.status, .accepted)
            let id = try XCTUnwrap(submitted.string("id"))
            XCTAssertNotNil(VideoJobID(id))
            XCTAssertEqual(submitted.headers[.location], "/v1/videos/\(id)")
            XCTAssertEqual(submitted.string("state"), "queued")
            XCTAssertEqual(submitted.int("total_steps"), 2)

            let done = try await client.waitFor(id, ["succeeded", "failed", "cancelled"])
            XCTAssertEqual(done.string("state"), "succeeded", done.string("error") ?? "")
            XCTAssertEqual(done.int("step"), 2)
            XCTAssertNil(done["error"] as? String)
            XCTAssertEqual(done.string("content_url"), "/v1/videos/\(id)/content")
            // The resolved options: what was asked, and the defaults filled in (cfg 7, aes 6.5, one loop).
            let o = done.options
            XCTAssertEqual(o["prompt"] as? String, "a red circle moving left")
            XCTAssertEqual(o["resolution"] as? String, "144p")
            XCTAssertEqual(o["aspect_ratio"] as? String, "9:16")
            XCTAssertEqual((o["height"] as? NSNumber)?.intValue, 144)
            XCTAssertEqual((o["width"] as? NSNumber)?.intValue, 256)
            XCTAssertEqual((o["num_frames"] as? NSNumber)?.intValue, 17)
            XCTAssertEqual((o["fps"] as? NSNumber)?.intValue, 12)
            XCTAssertEqual((o["seed"] as? NSNumber)?.intValue, 7)
            XCTAssertEqual((o["cfg_scale"] as? NSNumber)?.doubleValue, 7)
            XCTAssertEqual((o["aes"] as? NSNumber)?.doubleValue, 6.5)
            XCTAssertEqual((o["loop"] as? NSNumber)?.intValue, 1)

            let whole = try await client.execute(uri: "/v1/videos/\(id)/content", method: .get)
            XCTAssertEqual(whole.status, .ok)
            XCTAssertEqual(whole.headers[.contentType], "video/mp4")
            XCTAssertEqual(whole.headers[.acceptRanges], "bytes")
            let bytes = Data(whole.body.readableBytesView)
            XCTAssertGreaterThan(bytes.count, 200)
            // Bytes 4..<8 of an MP4 are its first box type, "ftyp".
            XCTAssertEqual(String(decoding: bytes[4..<8], as: UTF8.self), "ftyp")
            let file = (scratch as NSString).appendingPathComponent("downloaded.mp4")
            try bytes.write(to: URL(fileURLWithPath: file))
            let probe = try VideoReader.probe(file)
            XCTAssertEqual(probe.frames, 17)
            XCTAssertEqual(probe.size, VideoSize(height: 144, width: 256))
            XCTAssertEqual(probe.fps, 12, accuracy: 1e-6)

            let middle = try await client.execute(uri: "/v1/videos/\(id)/content", method: .get, headers: [.range: "bytes=10-99"])
            XCTAssertEqual(middle.status, .partialContent)
            XCTAssertEqual(middle.headers[.contentRange], "bytes 10-99/\(bytes.count)")
            XCTAssertEqual(Data(middle.body.readableBytesView), bytes[10...99])

            let tail = try await client.execute(uri: "/v1/videos/\(id)/content", method: .get, headers: [.range: "bytes=-16"])
            XCTAssertEqual(tail.status, .partialContent)
            XCTAssertEqual(Data(tail.body.readableBytesView), bytes.suffix(16))
            XCTAssertEqual(tail.headers[.contentRange], "bytes \(bytes.count - 16)-\(bytes.count - 1)/\(bytes.count)")

            let open = try await client.execute(uri: "/v1/videos/\(id)/content", method: .get, headers: [.range: "bytes=\(bytes.count - 5)-"])
            XCTAssertEqual(Data(open.body.readableBytesView), bytes.suffix(5))

            let beyond = try await client.execute(uri: "/v1/videos/\(id)/content", method: .get, headers: [.range: "bytes=\(bytes.count)-"])
            XCTAssertEqual(beyond.status, .rangeNotSatisfiable)
            XCTAssertEqual(beyond.headers[.contentRange], "bytes */\(bytes.count)")

            let page = try await client.getJSON("/v1/videos?limit=10")
            XCTAssertEqual(page.int("total"), 1)
            XCTAssertEqual(((page["data"] as? [[String: Any]])?.first)?["id"] as? String, id)
            let health = try await client.getJSON("/healthz")
            XCTAssertEqual(health.string("status"), "ok")
            XCTAssertEqual(health.string("succeeded"), "1")

            // Deleting a finished job removes it and its files.
            let folder = (data as NSString).appendingPathComponent("videos/\(id)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder))
            let deleted = try await client.execute(uri: "/v1/videos/\(id)", method: .delete)
            XCTAssertEqual(deleted.status, .noContent)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder))
            let gone = try await client.execute(uri: "/v1/videos/\(id)", method: .get)
            XCTAssertEqual(gone.status, .notFound)
        }
    }
}
