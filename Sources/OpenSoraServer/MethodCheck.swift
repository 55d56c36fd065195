import Hummingbird

/// A known path asked with a method it does not have gets 405 Method Not Allowed with `Allow` (RFC 9110 §15.5.6),
/// not the router's 404: the routes are the OpenAPI document's list, so the two cannot disagree.
struct MethodCheck: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let methods = OpenAPIDocument.routes.filter { Self.matches($0.path, path) }.map { $0.method.uppercased() }
        let method = request.method.rawValue
        guard !methods.isEmpty, !methods.contains(method), !(method == "HEAD" && methods.contains("GET")) else {
            return try await next(request, context)
        }
        return APIError(.methodNotAllowed, code: "method_not_allowed", "\(method.prefix(20)) is not accepted on \(path.prefix(80)); accepted: \(methods.joined(separator: ", "))",
                        headers: [.allow: methods.joined(separator: ", ")]).response
    }

    /// A route template (`/v1/videos/{id}`) against a request path, segment by segment.
    static func matches(_ template: String, _ path: String) -> Bool {
        let t = template.split(separator: "/", omittingEmptySubsequences: false), p = path.split(separator: "/", omittingEmptySubsequences: false)
        guard t.count == p.count else { return false }
        return zip(t, p).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
}
