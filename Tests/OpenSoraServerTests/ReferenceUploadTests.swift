import Foundation
import Hummingbird
import HummingbirdTesting
import OpenSora
@testable import OpenSoraServer
import XCTest

/// `POST /v1/videos` as multipart/form-data: the JSON options plus a reference image or video, checked by its
/// content (ffprobe), stored under a server-made name, and used as the first frame (mask strategy "0").
final class ReferenceUploadTests: XCTestCase {
    static let boundary = "opensora-test-boundary"

    static func multipart(options: String?, file: Data?, filename: String = "first.png") -> ByteBuffer {
        var body = Data()
        func part(_ headers: String, _ data: Data) {
            body += Data("--\(Self.boundary)\r\n\(headers)\r\n\r\n".utf8) + data + Data("\r\n".utf8)
        }
        if let options { part(#"Content-Disposition: form-data; name="options""#, Data(options.utf8)) }
        if let file { part("Content-Disposition: form-data; name=\"reference\"; filename=\"\(filename)\"\r\nContent-Type: image/png", file) }
        body += Data("--\(Self.boundary)--\r\n".utf8)
        return ByteBuffer(bytes: body)
    }

    static func upload(_ client: some TestClientProtocol, _ body: ByteBuffer) async throws -> JSONAnswer {
        try JSONAnswer(try await client.execute(uri: "/v1/videos", method: .post,
                                                headers: [.contentType: "multipart/form-data; boundary=\(Self.boundary)"], body: body))
    }

    func png(_ dir: String) throws -> Data {
        let path = (dir as NSString).appendingPathComponent("red.png")
        _ = try FFmpeg.run(["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:s=96x64", "-frames:v", "1", path])
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    func testAnUploadedImageStartsTheVideo() async throws {
        let data = try temporaryDataDirectory()
        let server = try makeServer(data)
        let image = try png(data)
        try await server.application.test(.live) { client in
            // The name a client gives is never a path: this one lands under uploads/ with a server-made name.
            let answer = try await Self.upload(client, Self.multipart(options: smallRequest(steps: 1), file: image, filename: "../../etc/passwd"))
            XCTAssertEqual(answer.status, .accepted, answer.errorMessage)
            XCTAssertEqual(answer.options["reference"] as? String, "png image 96×64")
            XCTAssertEqual(answer.options["mask_strategy"] as? String, "0,0,0,0,1,0.0", "the first frame, as the demo uses an image")
            let id = try XCTUnwrap(answer.string("id"))
            let done = try await client.waitFor(id, ["succeeded", "failed"])
            XCTAssertEqual(done.string("state"), "succeeded", "\(done.object)")
            let stored = try FileManager.default.contentsOfDirectory(atPath: (data as NSString).appendingPathComponent("uploads"))
            XCTAssertEqual(stored.count, 1)
            XCTAssertTrue(stored[0].hasSuffix(".png") && stored[0].count == 36 + 4, "\(stored)")
        }
    }

    func testBadUploadsAre4xxNamingThePart() async throws {
        let data = try temporaryDataDirectory()
        let server = try makeServer(data, maxUploadBytes: 4096)
        try await server.application.test(.live) { client in
            let text = try await Self.upload(client, Self.multipart(options: smallRequest(), file: Data("not an image at all".utf8)))
            XCTAssertEqual(text.status, .badRequest)
            XCTAssertEqual(text.errorField, "reference")
            XCTAssertTrue(text.errorMessage.contains("not an image or video ffprobe can read"), text.errorMessage)
            let empty = try await Self.upload(client, Self.multipart(options: smallRequest(), file: Data()))
            XCTAssertEqual(empty.errorField, "reference")
            let noOptions = try await Self.upload(client, Self.multipart(options: nil, file: Data("x".utf8)))
            XCTAssertEqual(noOptions.status, .badRequest)
            XCTAssertEqual(noOptions.errorField, "options")
            let badOptions = try await Self.upload(client, Self.multipart(options: #"{"prompt": "a", "fps": 0}"#, file: nil))
            XCTAssertEqual(badOptions.errorField, "fps")
            let unclosed = ByteBuffer(string: "--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"options\"\r\n\r\n{}")
            let broken = try await Self.upload(client, unclosed)
            XCTAssertEqual(broken.status, .badRequest)
            XCTAssertTrue(broken.errorMessage.contains("not closed by the boundary"), broken.errorMessage)
            let big = try await Self.upload(client, Self.multipart(options: smallRequest(), file: Data(repeating: 7, count: 8192)))
            XCTAssertEqual(big.status, .contentTooLarge)
            let page = try await client.getJSON("/v1/videos")
            XCTAssertEqual(page.int("total"), 0, "nothing was queued")
        }
        let uploads = (data as NSString).appendingPathComponent("uploads")
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: uploads)) ?? [], [], "rejected uploads are not kept")
    }
}
