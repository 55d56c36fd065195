import Foundation
import MLXTensor

/// When the text encoder gives its memory back.
public enum TextEncoderPolicy: String, Codable, Sendable, CaseIterable {
    /// Load for each request, release once its prompts are encoded (the CLI: T5-XXL is ~19 GB in fp32).
    case releaseAfterEncoding
    /// Keep loaded between requests (a server with memory to spare skips reloading).
    case keepLoaded
}

/// The one owner of a generation's models: STDiT3 and the VAE stay loaded for its lifetime, the text
/// encoder follows `policy`. Requests are served one at a time (`lock`), so a server's worker and
/// the CLI share one code path.
public final class ModelContainer: @unchecked Sendable {
    public let models: ModelBundle
    public let policy: TextEncoderPolicy
    private var loadedEncoder: TextEncoder?
    private let lock = NSLock()

    public init(models: ModelBundle, policy: TextEncoderPolicy = .releaseAfterEncoding) {
        self.models = models
        self.policy = policy
    }

    /// Runs `body` with exclusive use of the models.
    public func perform<T>(_ body: (ModelBundle) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(models)
    }

    /// `texts` → T5 features [N, 1, L, C] and masks [N, L], loading the encoder if needed and
    /// releasing it afterwards under `.releaseAfterEncoding`. Call inside `perform`.
    func encode(_ texts: [String]) throws -> (embedding: Tensor, mask: Tensor) {
        let encoder = try loadedEncoder ?? models.makeTextEncoder()
        defer {
            if policy == .releaseAfterEncoding {
                encoder.release()
                loadedEncoder = nil
            } else {
                loadedEncoder = encoder
            }
        }
        let (y, mask) = try encoder.encode(texts)
        try Tensor.eval([y, mask])
        return (y, mask)
    }

    /// Whether the text encoder is resident now (between requests only under `.keepLoaded`).
    public var textEncoderLoaded: Bool { lock.withLock { loadedEncoder != nil } }
}
