import ArgumentParser
import Foundation
import Logging
import OpenSora
import OpenSoraServer

/// `opensora serve`: the REST API over a persistent job queue, with the models loaded once for all jobs.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve generation over HTTP: POST /v1/videos, GET /v1/videos/{id}[/content], DELETE, GET /v1/videos, /healthz.",
        discussion: """
        Examples:
          opensora serve                                   (loopback, port 8000, ./opensora-data)
          opensora serve --port 9000 --data-dir /srv/opensora --model-dir /models/opensora-1.2
          opensora serve --text-encoder keepLoaded          (T5 stays resident between jobs too; STDiT3 and the VAE always do)
          curl -X POST localhost:8000/v1/videos -H 'Content-Type: application/json' -d '{"prompt": "a red circle moving left"}'
        """)

    @Option(help: "Address to bind; loopback by default (another address exposes the API to the network).")
    var host = "127.0.0.1"

    @Option(help: "TCP port (0 picks a free one).")
    var port = 8000

    @Option(help: "Folder for the job queue (jobs.sqlite) and the videos.")
    var dataDir = "opensora-data"

    @Option(help: "Queued jobs beyond which a submission is answered 429 Too Many Requests.")
    var queueCapacity = 32

    @Option(help: "Bearer token every route but /healthz and the page requires (default: $OPENSORA_TOKEN; none = open).")
    var token: String?

    @Option(help: "Requests per second one client (IP address) may make after a burst of --rate-burst; 0 = no limit.")
    var rateLimit = 20.0

    @Option(help: "Requests one client may make at once before --rate-limit applies.")
    var rateBurst = 60

    @Option(help: "The chat model behind llm_refine and /v1/prompts (any OpenAI-compatible endpoint: OPENAI_BASE_URL, OPENAI_API_KEY).")
    var llmModel = "gpt-4o"

    @OptionGroup var model: ModelOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is out of range; accepted: 0...65535") }
        guard (1...100_000).contains(queueCapacity) else {
            throw ValidationError("--queue-capacity \(queueCapacity) is out of range; accepted: 1...100000")
        }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
        guard rateLimit >= 0, rateLimit.isFinite else { throw ValidationError("--rate-limit \(rateLimit); accepted: a number ≥ 0 (0 = no limit)") }
        guard rateBurst >= 1 else { throw ValidationError("--rate-burst \(rateBurst); accepted: at least 1") }
        if let token, token.isEmpty || token.contains(where: { $0.isWhitespace }) {
            throw ValidationError("--token must be non-empty and without spaces")
        }
    }

    func run() throws {
        var configuration = ServerConfiguration(dataDirectory: dataDir)
        configuration.host = host
        configuration.port = port
        configuration.queueCapacity = queueCapacity
        configuration.token = token ?? ProcessInfo.processInfo.environment["OPENSORA_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.ratePerSecond = rateLimit > 0 ? rateLimit : nil
        configuration.rateBurst = rateBurst
        // As the demo: prompt refinement is there when an endpoint is configured.
        let env = ProcessInfo.processInfo.environment
        if env["OPENAI_API_KEY"] != nil || env["OPENAI_BASE_URL"] != nil {
            configuration.refiner = PromptRefiner(client: ChatCompletionsClient(try .fromEnvironment(model: llmModel)))
        }
        var logger = Logger(label: "opensora.serve")
        logger.logLevel = .info
        let models = UncheckedSendable(model)
        let server = try VideoServer(configuration: configuration, loadModels: { try models.value.container() },
                                     defaults: try model.generationDefaults(), logger: logger)
        logger.info("models loaded; jobs and videos in \(dataDir)")
        let application = server.application
        try AsyncBridge.wait { try await application.runService() }
    }
}

/// The parsed model flags, handed to the worker thread that builds the models (read there only).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Runs async work to completion from a synchronous command (the root command is not async).
enum AsyncBridge {
    static func wait(_ work: @escaping @Sendable () async throws -> Void) throws {
        final class Outcome: @unchecked Sendable { var error: (any Error)? }
        let outcome = Outcome(), done = DispatchSemaphore(value: 0)
        Task {
            do { try await work() } catch { outcome.error = error }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw error }
    }
}
