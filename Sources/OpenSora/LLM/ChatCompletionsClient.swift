// Added (not in the reference, whose tools call api.openai.com directly): one client for every OpenAI-compatible
// chat-completions endpoint (OpenAI, llama.cpp, vLLM, Ollama), used by captioning and prompt refinement.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// POST {baseURL}/chat/completions with retries (429, 5xx, network errors; Retry-After honoured), a time-out per
/// attempt, and an optional spacing between request starts (a requests-per-minute budget shared by all callers).
public final class ChatCompletionsClient: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var baseURL: URL
        public var apiKey: String?
        public var model: String
        public var timeout: TimeInterval = 60
        public var maxAttempts = 4
        public var initialBackoff: TimeInterval = 1
        public var requestsPerMinute: Double?

        public init(baseURL: URL, apiKey: String?, model: String) { (self.baseURL, self.apiKey, self.model) = (baseURL, apiKey, model) }

        /// OPENAI_BASE_URL (default https://api.openai.com/v1) and OPENAI_API_KEY, as OpenAI's own clients read them.
        public static func fromEnvironment(model: String, baseURL: String? = nil, apiKey: String? = nil) throws -> Configuration {
            let env = ProcessInfo.processInfo.environment
            let text = baseURL ?? env["OPENAI_BASE_URL"] ?? "https://api.openai.com/v1"
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme.lowercased()), url.host != nil else {
                throw ChatError.badConfiguration("base URL '\(text)' is not an http(s) URL")
            }
            return Configuration(baseURL: url, apiKey: apiKey ?? env["OPENAI_API_KEY"], model: model)
        }
    }

    /// One part of a user message.
    public enum Part: Sendable {
        case text(String)
        /// JPEG bytes, sent as a data URL.
        case jpeg(Data)
    }

    public enum ChatError: Error, Equatable, CustomStringConvertible {
        case badConfiguration(String)
        case unreachable(String)
        case http(status: Int, body: String)
        case malformed(String)

        public var description: String {
            switch self {
            case .badConfiguration(let m): "chat endpoint: \(m)"
            case .unreachable(let m): "chat endpoint unreachable: \(m)"
            case .http(let s, let b): "chat endpoint answered HTTP \(s): \(b)"
            case .malformed(let m): "chat endpoint's answer is not a chat completion: \(m)"
            }
        }
    }

    public let configuration: Configuration
    private let session: URLSession
    private let lock = NSLock()
    private var nextStart = Date.distantPast

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = configuration.timeout
        c.timeoutIntervalForResource = configuration.timeout
        session = URLSession(configuration: c)
    }

    /// The assistant's reply to one user message (with an optional system message).
    public func complete(_ parts: [Part], system: String? = nil, maxTokens: Int = 300) throws -> String {
        var content = [[String: Any]]()
        for part in parts {
            switch part {
            case .text(let t): content.append(["type": "text", "text": t])
            case .jpeg(let d): content.append(["type": "image_url", "image_url": ["url": "data:image/jpeg;base64," + d.base64EncodedString()]])
            }
        }
        var messages = [[String: Any]]()
        if let system { messages.append(["role": "system", "content": system]) }
        messages.append(["role": "user", "content": content])
        let body = try JSONSerialization.data(withJSONObject: ["model": configuration.model, "messages": messages, "max_tokens": maxTokens])
        var request = URLRequest(url: configuration.baseURL.appendingPathComponent("chat/completions"))
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let key = configuration.apiKey, !key.isEmpty { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        request.timeoutInterval = configuration.timeout

        var backoff = configuration.initialBackoff
        var lastError = ChatError.unreachable("no attempt made")
        for attempt in 1...max(1, configuration.maxAttempts) {
            waitForTurn()
            let (data, response, error) = send(request)
            if let error {
                lastError = .unreachable("\(error.localizedDescription) (\(configuration.baseURL.absoluteString))")
            } else if let http = response as? HTTPURLResponse {
                if (200..<300).contains(http.statusCode) { return try Self.reply(data ?? Data()) }
                lastError = .http(status: http.statusCode, body: String(decoding: (data ?? Data()).prefix(300), as: UTF8.self))
                guard http.statusCode == 429 || http.statusCode >= 500 else { throw lastError }
                if let after = (http.value(forHTTPHeaderField: "Retry-After")).flatMap(Double.init) { backoff = max(backoff, min(after, 60)) }
            }
            if attempt < configuration.maxAttempts { Thread.sleep(forTimeInterval: backoff); backoff *= 2 }
        }
        throw lastError
    }

    /// choices[0].message.content with line breaks as spaces (caption_gpt4.py's clean-up).
    static func reply(_ data: Data) throws -> String {
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let choice = (json["choices"] as? [[String: Any]])?.first,
              let message = choice["message"] as? [String: Any], let content = message["content"] as? String
        else { throw ChatError.malformed(String(decoding: data.prefix(200), as: UTF8.self)) }
        return content.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    private func send(_ request: URLRequest) -> (Data?, URLResponse?, Error?) {
        final class Box: @unchecked Sendable { var value: (Data?, URLResponse?, Error?) = (nil, nil, nil) }
        let box = Box(), done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { d, r, e in box.value = (d, r, e); done.signal() }.resume()
        done.wait()
        return box.value
    }

    /// Spaces request starts by 60 / requestsPerMinute seconds across every caller of this client.
    private func waitForTurn() {
        guard let rpm = configuration.requestsPerMinute, rpm > 0 else { return }
        let wait: TimeInterval = lock.withLock {
            let now = Date(), start = max(now, nextStart)
            nextStart = start.addingTimeInterval(60 / rpm)
            return start.timeIntervalSince(now)
        }
        if wait > 0 { Thread.sleep(forTimeInterval: wait) }
    }
}
