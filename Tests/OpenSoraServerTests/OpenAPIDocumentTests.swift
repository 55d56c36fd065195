import Foundation
import Hummingbird
import HummingbirdTesting
import OpenSora
@testable import OpenSoraServer
import XCTest

final class OpenAPIDocumentTests: XCTestCase {
    /// The served document is OpenAPI 3 with exactly the server's routes; the request body's properties are the
    /// fields the server accepts, with the same choices and limits as the checks.
    func testTheDocumentDescribesTheImplementation() async throws {
        let server = try makeServer(try temporaryDataDirectory())
        try await server.application.test(.live) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            XCTAssertEqual(response.status, .ok)
            let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            XCTAssertEqual(doc["openapi"] as? String, "3.0.3")
            let paths = try XCTUnwrap(doc["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, ops in ops.keys.map { "\($0) \(path)" } })
            XCTAssertEqual(documented, Set(OpenAPIDocument.routes.map { "\($0.method) \($0.path)" }))
            // Every documented route answers (a made-up id gives the API's 404 JSON, not the router's empty 404).
            let id = UUID().uuidString.lowercased()
            for route in OpenAPIDocument.routes where route.method == "get" {
                let r = try await client.execute(uri: route.path.replacingOccurrences(of: "{id}", with: id), method: .get)
                XCTAssertTrue(r.status == .ok || (r.status == .notFound && r.headers[.contentType]?.hasPrefix("application/json") == true),
                              "\(route.path): \(r.status)")
            }
            let post = try XCTUnwrap((paths["/v1/videos"]?["post"] as? [String: Any]))
            let schema = try XCTUnwrap((((post["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any])
            let properties = try XCTUnwrap(schema["properties"] as? [String: [String: Any]])
            XCTAssertEqual(Set(properties.keys), Set(VideoOptions.fields))
            XCTAssertEqual(properties["resolution"]?["enum"] as? [String], Resolution.allCases.map(\.rawValue))
            XCTAssertEqual(properties["camera_motion"]?["enum"] as? [String], CameraMotion.allCases.map(\.rawValue))
            XCTAssertEqual((properties["num_sampling_steps"]?["maximum"] as? NSNumber)?.intValue, GenerationRequest.Limits.steps.upperBound)
        }
    }
}
