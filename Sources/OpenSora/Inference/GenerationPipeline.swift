// Reference: scripts/inference.py@v1.2.0; spec/inference.md §1, §6–11.
import Foundation
import MLXTensor
import NN

/// The main job: prompts (and references) → text features → rectified-flow sampling with STDiT3 →
/// VAE decode → video files, with image-to-video, extension and loops via mask strategies.
public final class GenerationPipeline {
    public let models: ModelBundle
    public let progress: GenerationProgress

    public init(models: ModelBundle, progress: GenerationProgress = SilentProgress()) {
        self.models = models
        self.progress = progress
    }

    /// One prompt after JSON extraction and text processing.
    struct PreparedPrompt {
        let caption: String
        let references: [String]
        let maskStrategy: String
        /// The cleaned text for each loop index.
        let loopTexts: [String]
    }

    /// Runs the whole request; returns the written files in prompt/sample order.
    @discardableResult
    public func generate(_ request: GenerationRequest) throws -> [String] {
        try request.validate()
        let saveDirectory = request.saveDirectory
        try prepareDirectory(saveDirectory)
        let prompts = try prepare(request)

        // Stage 1: text. Every loop's text is encoded now, so the encoder can be released before sampling.
        progress.stage("encoding text")
        let texts = Array(Set(prompts.flatMap(\.loopTexts))).sorted()
        var embeddings = [String: (y: Tensor, mask: Tensor)]()
        do {
            let encoder = try models.makeTextEncoder()
            let (y, mask) = try encoder.encode(texts)
            for (i, text) in texts.enumerated() { embeddings[text] = (y[i..<(i + 1)], mask[i..<(i + 1)]) }
            try Tensor.eval(embeddings.values.flatMap { [$0.y, $0.mask] })
            encoder.release()
        }

        let vae = models.vae
        let latent = vae.config.latentSize(frames: request.numFrames, height: request.size.height, width: request.size.width)
        guard latent.height > 0, latent.width > 0 else { throw OpenSoraError.invalidInput("image size \(request.size) is too small") }
        var written = [String]()
        let root = RandomKey(seed: request.seed)
        for batchStart in stride(from: 0, to: prompts.count, by: request.batchSize) {
            let batch = Array(prompts[batchStart..<min(batchStart + request.batchSize, prompts.count)])
            for k in 0..<request.sampleCount {
                var clips = [[VideoFrames]](repeating: [], count: batch.count)
                var references = try batch.enumerated().map { try loadReferences($1.references, prompt: batchStart + $0, request: request) }
                var strategies = batch.map(\.maskStrategy)
                for loop in 0..<request.loops {
                    if loop > 0 {
                        // The previous clip, re-encoded, conditions the start of this one.
                        progress.stage("encoding loop \(loop) condition")
                        for (i, clip) in clips.enumerated() {
                            let key = root.child(1).child(batchStart + i).child(k).child(loop)
                            references[i].append(try vae.encode(clip[loop - 1].pixels().expandedDims(0), key: key)[0])
                            let entry = "\(loop),\(references[i].count - 1),-\(request.conditionFrameLength),0,"
                                + "\(request.conditionFrameLength),\(request.conditionFrameEdit)"
                            strategies[i] = strategies[i].isEmpty ? entry : strategies[i] + ";" + entry
                        }
                    }
                    let key = root.child(0).child(batchStart).child(k).child(loop)
                    let frames = try sampleClip(batch: batch, loop: loop, references: references, strategies: strategies,
                                                embeddings: embeddings, latent: latent, request: request, key: key)
                    for (i, f) in frames.enumerated() { clips[i].append(f) }
                }
                for (i, prompt) in batch.enumerated() {
                    let video = try joinLoops(clips[i], request: request)
                    let base = OutputNaming.path(saveDirectory: saveDirectory, sampleName: request.sampleName, index: request.startIndex + batchStart + i,
                                                 prompt: prompt.caption, promptAsPath: request.promptAsPath, sampleCount: request.sampleCount, sample: k)
                    let path = try VideoWriter.write(video, to: base, format: request.format, fps: request.saveFPS)
                    try writeSidecar(request, prompt: prompt, sample: k, path: path)
                    progress.finished(path)
                    written.append(path)
                }
            }
        }
        return written
    }

    /// JSON extraction, loop splitting, score suffixes and cleaning, per prompt.
    func prepare(_ request: GenerationRequest) throws -> [PreparedPrompt] {
        try request.prompts.enumerated().map { i, raw in
            let extracted = try PromptText.extractJSON(raw)
            let references = extracted.referencePath ?? (request.referencePaths.isEmpty ? "" : request.referencePaths[i])
            let strategy = extracted.maskStrategy ?? (request.maskStrategies.isEmpty ? "" : request.maskStrategies[i])
            _ = try MaskStrategy(parsing: strategy)
            let (segments, loops) = try PromptText.splitLoops(extracted.caption)
            let cleaned = segments.map {
                PromptCleaner.preprocess(PromptText.appendingScores($0, aesthetic: request.aesthetic, motion: request.motion,
                                                                    cameraMotion: request.cameraMotion))
            }
            let merged = PromptText.mergeLoops(cleaned, loops: loops)
            let loopTexts = try (0..<request.loops).map { try PromptText.prompt(forLoop: $0, of: merged) }
            return PreparedPrompt(caption: extracted.caption, references: references.isEmpty ? [] : references.split(separator: ";").map(String.init),
                                  maskStrategy: strategy, loopTexts: loopTexts)
        }
    }

    /// Reads and encodes one prompt's references at the target size: [4, T_ref, h, w] each.
    func loadReferences(_ paths: [String], prompt: Int, request: GenerationRequest) throws -> [Tensor] {
        guard !paths.isEmpty else { return [] }
        progress.stage("encoding references")
        return try paths.enumerated().map { i, path in
            let frames = try VideoReader.read(path, size: request.size)
            return try models.vae.encode(frames.pixels().expandedDims(0), key: Self.referenceKey(seed: request.seed, prompt: prompt, index: i))[0]
        }
    }

    /// The key that encodes reference `index` of prompt `prompt` (the VAE samples its posteriors).
    static func referenceKey(seed: UInt64, prompt: Int, index: Int) -> RandomKey {
        RandomKey(seed: seed).child(2).child(prompt).child(index)
    }

    /// Samples one clip per prompt of the batch for one loop and decodes it.
    func sampleClip(batch: [PreparedPrompt], loop: Int, references: [[Tensor]], strategies: [String],
                    embeddings: [String: (y: Tensor, mask: Tensor)], latent: (frames: Int, height: Int, width: Int),
                    request: GenerationRequest, key: RandomKey) throws -> [VideoFrames] {
        let b = batch.count, model = models.denoiser
        let keys = key.split(into: 2)
        var z = Tensor.normal([b, models.vae.latentChannels, latent.frames, latent.height, latent.width], key: keys[0])
        // Mask strategies write reference latents into the noise and set per-frame edit ratios.
        var masks = [[Double]]()
        for i in 0..<b {
            let strategy = try MaskStrategy(parsing: strategies[i])
            let plan = try strategy.plan(latentFrames: latent.frames, referenceLengths: references[i].map { $0.dim(1) }, loop: loop,
                                         align: request.align)
            for p in plan.placements {
                let source = references[i][p.referenceIndex][.all, p.referenceStart..<(p.referenceStart + p.count)]
                z = z.updatingSlice(start: [i, 0, p.targetStart, 0, 0], with: source.expandedDims(0))
            }
            masks.append(plan.mask)
        }
        let mask = Tensor(doubles: masks.flatMap { $0 }, shape: [b, latent.frames])
        let texts = batch.map { $0.loopTexts[loop] }
        let encoded = texts.compactMap { embeddings[$0] }
        guard encoded.count == b else { throw OpenSoraError.invalidInput("internal: a loop prompt was not encoded") }
        let y = Tensor.concatenate(encoded.map(\.y), axis: 0)
        let textMask = Tensor.concatenate(encoded.map(\.mask), axis: 0)
        let caption = Tensor.concatenate([y, model.nullCaption.tiled([b, 1, 1, 1])], axis: 0)
        let info = ConditioningInfo(batch: b, size: request.size, numFrames: request.numFrames, fps: request.fps)
        let fps = Tensor(info.fps)
        let sampler = RectifiedFlowSampler(stepCount: request.steps, guidanceScale: request.guidanceScale)
        let noiseKey = keys[1]
        progress.stage(loop == 0 ? "sampling" : "sampling loop \(loop)")
        let latents = try sampler.sample(
            z: z, geometry: info.geometry, mask: mask,
            noise: { i in Tensor.normal(z.shape, key: noiseKey.child(i)) },
            model: { z, t, frameMask in
                let out = try model(Tensor.concatenate([z, z], axis: 0), timestep: Tensor.concatenate([t, t], axis: 0), caption: caption,
                                    captionMask: textMask, frameMask: frameMask.map { Tensor.concatenate([$0, $0], axis: 0) }, fps: fps,
                                    height: Double(info.height[0]), width: Double(info.width[0]))
                let v = out[.all, 0..<z.dim(1)].split(parts: 2, axis: 0)
                return (v[0], v[1])
            },
            onStep: { step in self.progress.step(step.index + 1, of: request.steps) })
        progress.stage("decoding")
        let pixels = try models.vae.decode(latents, numFrames: request.numFrames)
        return try (0..<b).map { try VideoFrames(pixels: pixels[$0]) }
    }

    /// Clip 0 whole, later clips without the frames their condition covered.
    func joinLoops(_ clips: [VideoFrames], request: GenerationRequest) throws -> VideoFrames {
        guard clips.count > 1 else { return clips[0] }
        let overlap = try FrameCount.pixelFrames(forLatent: request.conditionFrameLength)
        return VideoFrames.concatenate([clips[0]] + clips.dropFirst().map { $0.slice(min(overlap, $0.count)..<$0.count) })
    }

    func prepareDirectory(_ path: String) throws {
        let fm = FileManager.default
        do { try fm.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw OpenSoraError.invalidInput("cannot create output directory '\(path)': \(error.localizedDescription)")
        }
        guard fm.isWritableFile(atPath: path) else { throw OpenSoraError.invalidInput("output directory '\(path)' is not writable") }
    }

    /// `<video>.json`: the request with this prompt, sample and the model used (written atomically).
    func writeSidecar(_ request: GenerationRequest, prompt: PreparedPrompt, sample: Int, path: String) throws {
        struct Sidecar: Codable {
            let prompt: String
            let processedText: [String]
            let references: [String]
            let maskStrategy: String
            let sample: Int
            let models: String
            let request: GenerationRequest
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(Sidecar(prompt: prompt.caption, processedText: prompt.loopTexts, references: prompt.references,
                                              maskStrategy: prompt.maskStrategy, sample: sample, models: models.description, request: request))
        let url = URL(fileURLWithPath: path + ".json")
        try data.write(to: url, options: .atomic)
    }
}
