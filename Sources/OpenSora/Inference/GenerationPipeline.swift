// Reference: scripts/inference.py@v1.2.0 (save_sample and the sample naming); spec/inference.md §11.
import Foundation
import MLXTensor

/// `opensora generate`'s front: runs the engine and writes each video (atomically, as soon as it
/// exists) with its JSON sidecar; returns the paths in prompt/sample order.
public final class GenerationPipeline {
    public let engine: GenerationEngine
    /// False on every rank but 0 of a parallel launch: the videos are made, not written.
    public var writesFiles = true

    public init(container: ModelContainer) { engine = GenerationEngine(container: container) }

    public convenience init(models: ModelBundle) { self.init(container: ModelContainer(models: models)) }

    /// `basePath` names a video's file (without the extension) where the request's naming does not
    /// fit (VBench's `{prompt}-{k}` for a one-sample request); by default `OutputNaming`'s rule.
    @discardableResult
    public func generate(_ request: GenerationRequest, onEvent: @escaping GenerationEventHandler = { _ in .proceed },
                         basePath: ((GenerationEngine.GeneratedVideo) -> String)? = nil,
                         saved: (String) -> Void = { _ in }) throws -> [String] {
        try request.validate()
        if writesFiles { try prepareDirectory(request.saveDirectory) }
        var written = [String]()
        try engine.generate(request, onEvent: onEvent) { video in
            guard writesFiles else { return }
            let base = basePath?(video) ?? OutputNaming.path(
                saveDirectory: request.saveDirectory, sampleName: request.sampleName, index: request.startIndex + video.prompt,
                prompt: video.prepared.caption, promptAsPath: request.promptAsPath, sampleCount: request.sampleCount, sample: video.sample)
            let path = try VideoWriter.write(video.frames, to: base, format: request.format, fps: request.saveFPS)
            try writeSidecar(request, prompt: video.prepared, sample: video.sample, path: path)
            saved(path)
            written.append(path)
        }
        return written
    }

    func prepareDirectory(_ path: String) throws {
        let fm = FileManager.default
        do { try fm.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw OpenSoraError.invalidInput("cannot create output directory '\(path)': \(error.localizedDescription)")
        }
        guard fm.isWritableFile(atPath: path) else { throw OpenSoraError.invalidInput("output directory '\(path)' is not writable") }
    }

    /// `<video>.json`: the request with this prompt, sample and the model used (written atomically).
    func writeSidecar(_ request: GenerationRequest, prompt: GenerationEngine.PreparedPrompt, sample: Int, path: String) throws {
        struct Sidecar: Codable {
            let prompt: String
            let processedText: [String]
            let references: [String]
            let maskStrategy: MaskStrategy
            let sample: Int
            let models: String
            let request: GenerationRequest
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(Sidecar(prompt: prompt.caption, processedText: prompt.loopTexts, references: prompt.references,
                                              maskStrategy: prompt.maskStrategy, sample: sample,
                                              models: engine.container.models.description, request: request))
        try AtomicFile.write(data, to: path + ".json")
    }
}
