import Foundation
import Hummingbird

/// Who may call the API and how often: the optional bearer token (every route but /healthz and the page) and a per-client token
/// bucket (every route), each refusal a JSON error like any other.
struct AccessControl: RouterMiddleware {
    typealias Context = ServerContext
    let token: String?
    let limiter: RateLimiter?
    let metrics: ServerMetrics

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let response = try await admit(request, context: context, next: next)
        metrics.answered(status: response.status.code)
        return response
    }

    private func admit(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        if let limiter, let wait = limiter.take(context.clientKey) {
            let seconds = max(1, Int(wait.rounded(.up)))
            return APIError(.tooManyRequests, code: "rate_limited",
                            "more than \(limiter.burst) requests in a burst from this client; retry in \(seconds) s",
                            headers: [.retryAfter: "\(seconds)"]).response
        }
        // The page carries no data (it asks for the token and sends it with its API calls), so it is public like /healthz.
        if let token, !["/healthz", "/"].contains(request.uri.path) {
            let given = request.headers[.authorization] ?? ""
            guard Self.equalInConstantTime(given, "Bearer " + token) else {
                return APIError(.unauthorized, code: "unauthorized",
                                given.isEmpty ? "this server needs 'Authorization: Bearer <token>'" : "the bearer token is not this server's",
                                field: "Authorization", headers: [.wwwAuthenticate: "Bearer"]).response
            }
        }
        return try await next(request, context)
    }

    /// No early exit on the first differing byte, so the comparison's time does not tell how much of a guess was right.
    static func equalInConstantTime(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: x.count ^ y.count)
        for i in 0..<max(x.count, y.count) { difference |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return difference == 0
    }
}

/// A token bucket per client: `burst` requests at once, refilled at `perSecond`.
final class RateLimiter: @unchecked Sendable {
    let perSecond: Double
    let burst: Int
    private var buckets: [String: (tokens: Double, at: Date)] = [:]
    private let lock = NSLock()
    private let now: @Sendable () -> Date

    init(perSecond: Double, burst: Int, now: @escaping @Sendable () -> Date = Date.init) {
        (self.perSecond, self.burst, self.now) = (perSecond, burst, now)
    }

    /// Takes one token for `client`: nil when granted, else the seconds until one is available.
    func take(_ client: String) -> Double? {
        lock.withLock {
            let t = now()
            var (tokens, at) = buckets[client] ?? (Double(burst), t)
            tokens = min(Double(burst), tokens + t.timeIntervalSince(at) * perSecond)
            defer { buckets[client] = (tokens, t) }
            if buckets.count > 10_000 { buckets = buckets.filter { t.timeIntervalSince($0.value.at) < 60 } }
            guard tokens >= 1 else { return (1 - tokens) / perSecond }
            tokens -= 1
            return nil
        }
    }
}
