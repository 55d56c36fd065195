import Foundation
import Hummingbird
import OpenSora

/// A 4xx (or 5xx) answer as JSON: `{"error": {"code", "message", "field"?}}`, the message naming the bad value
/// and what is accepted.
struct APIError: Error {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    let field: String?
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, code: String, _ message: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers
    }

    static func invalid(_ setting: InvalidSetting) -> APIError {
        APIError(.badRequest, code: "invalid_field", setting.message, field: setting.field)
    }

    static func notFound(_ what: String) -> APIError { APIError(.notFound, code: "not_found", what) }

    private struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let field: String?
        }
        let error: Detail
    }

    var response: Response {
        var response = JSONBody.response(Body(error: .init(code: code, message: message, field: field)), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// JSON responses, encoded the one way (sorted keys, so answers are stable).
enum JSONBody {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":{"code":"internal","message":"response encoding failed"}}"#.utf8)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
