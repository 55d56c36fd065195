import OpenSora

/// How `opensora serve` listens and how much it accepts.
public struct ServerConfiguration: Sendable {
    /// Loopback by default: reaching the server from other machines is an explicit choice.
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests).
    public var port = 8000
    /// Holds `jobs.sqlite` and `videos/`.
    public var dataDirectory: String
    /// Queued jobs beyond which a submission is answered 429.
    public var queueCapacity = 32
    public var retryAfterSeconds = 30
    /// The largest JSON body accepted.
    public var maxBodyBytes = 64 * 1024
    /// The largest multipart body (options plus a reference image or video).
    public var maxUploadBytes = 32 * 1024 * 1024
    public static let pageLimits = 1...100
    /// When set, every route but /healthz needs `Authorization: Bearer <token>` (`--token` or OPENSORA_TOKEN).
    public var token: String?
    /// Requests a client (by IP address) may make per second, after a burst of `rateBurst`; nil = no limit.
    public var ratePerSecond: Double? = 20
    public var rateBurst = 60
    /// The LLM behind `llm_refine` and `POST /v1/prompts`; nil when the server was started without one.
    public var refiner: PromptRefiner?

    public init(dataDirectory: String) { self.dataDirectory = dataDirectory }
}
