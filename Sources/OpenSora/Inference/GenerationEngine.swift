// Reference: scripts/inference.py@v1.2.0; spec/inference.md §1, §6–11.
import Foundation
import MLXTensor

/// The main job as stages that return values — prompts → text features → latents → frames — with a
/// typed event stream whose handler can cancel at the next step. Writing files is the caller's
/// (the CLI's `GenerationPipeline`, a server's job queue); the models belong to a `ModelContainer`.
public final class GenerationEngine {
    public let container: ModelContainer

    public init(container: ModelContainer) { self.container = container }

    /// One prompt after JSON extraction and text processing.
    public struct PreparedPrompt: Sendable {
        public let caption: String
        public let references: [String]
        public let maskStrategy: MaskStrategy
        /// The cleaned text for each loop index.
        public let loopTexts: [String]
    }

    /// T5 features by cleaned text: y [1, 1, L, C] and mask [1, L].
    public struct TextFeatures {
        var byText: [String: (y: Tensor, mask: Tensor)]

        func batch(_ texts: [String]) throws -> (y: Tensor, mask: Tensor) {
            let rows = try texts.map { text in
                guard let row = byText[text] else { throw OpenSoraError.invalidInput("internal: the loop prompt '\(text.prefix(40))' was not encoded") }
                return row
            }
            return (Tensor.concatenate(rows.map(\.y), axis: 0), Tensor.concatenate(rows.map(\.mask), axis: 0))
        }
    }

    /// A finished video: prompt `prompt` of the request, sample `sample`.
    public struct GeneratedVideo {
        public let prompt: Int
        public let sample: Int
        public let prepared: PreparedPrompt
        public let frames: VideoFrames
    }

    /// Runs `request`, handing each finished video to `deliver` as soon as it exists (so a failure
    /// later loses nothing already made). The handler sees every event; `.cancel` stops at the next step.
    public func generate(_ request: GenerationRequest, onEvent: @escaping GenerationEventHandler = { _ in .proceed },
                         deliver: (GeneratedVideo) throws -> Void) throws {
        try request.validate()
        let prompts = try prepare(request)
        try container.perform { models in
            try MemoryEstimate.generation(request, models: models).check()
            let latent = models.vae.config.latentSize(frames: request.numFrames, height: request.size.height, width: request.size.width)
            guard latent.height > 0, latent.width > 0 else { throw OpenSoraError.invalidInput("image size \(request.size) is too small") }
            var events = EventRelay(handler: onEvent)
            try events.begin(.encodingText)
            let features = try encodeText(prompts)
            let root = RandomKey(seed: request.seed)
            var produced = 0
            for batchStart in stride(from: 0, to: prompts.count, by: request.batchSize) {
                let batch = Array(prompts[batchStart..<min(batchStart + request.batchSize, prompts.count)])
                if batch.contains(where: { !$0.references.isEmpty }) { try events.begin(.encodingReferences) }
                // Encoded once per prompt; every sample starts from the same reference latents.
                let references = try batch.enumerated().map { i, p in
                    try encodeReferences(p.references, prompt: batchStart + i, request: request, vae: models.vae)
                }
                for k in 0..<request.sampleCount {
                    let clips = try sampleLoops(batch: batch, batchStart: batchStart, sample: k, references: references,
                                                features: features, latent: latent, request: request, root: root,
                                                models: models, events: &events)
                    for (i, prepared) in batch.enumerated() {
                        let video = try joinLoops(clips[i], request: request)
                        try deliver(GeneratedVideo(prompt: batchStart + i, sample: k, prepared: prepared, frames: video))
                        try events.send(.video(index: produced))
                        produced += 1
                    }
                }
            }
        }
    }

    // MARK: stages

    /// JSON extraction, loop splitting, score suffixes and cleaning, per prompt.
    public func prepare(_ request: GenerationRequest) throws -> [PreparedPrompt] {
        try request.prompts.enumerated().map { i, raw in
            let extracted = try PromptText.extractJSON(raw)
            let references = extracted.referencePath ?? (request.referencePaths.isEmpty ? "" : request.referencePaths[i])
            let strategy = try extracted.maskStrategy.map { try MaskStrategy(parsing: $0) }
                ?? (request.maskStrategies.isEmpty ? MaskStrategy() : request.maskStrategies[i])
            let (segments, loops) = try PromptText.splitLoops(extracted.caption)
            let cleaned = segments.map {
                PromptCleaner.preprocess(PromptText.appendingScores($0, aesthetic: request.aesthetic, motion: request.motion,
                                                                    cameraMotion: request.cameraMotion?.rawValue))
            }
            let merged = PromptText.mergeLoops(cleaned, loops: loops)
            let loopTexts = try (0..<request.loops).map { try PromptText.prompt(forLoop: $0, of: merged) }
            return PreparedPrompt(caption: extracted.caption, references: references.isEmpty ? [] : references.split(separator: ";").map(String.init),
                                  maskStrategy: strategy, loopTexts: loopTexts)
        }
    }

    /// Every loop's text of every prompt, encoded together (so the encoder can go before sampling).
    func encodeText(_ prompts: [PreparedPrompt]) throws -> TextFeatures {
        let texts = Array(Set(prompts.flatMap(\.loopTexts))).sorted()
        let (y, mask) = try container.encode(texts)
        var byText = [String: (y: Tensor, mask: Tensor)]()
        for (i, text) in texts.enumerated() { byText[text] = (y[i..<(i + 1)], mask[i..<(i + 1)]) }
        return TextFeatures(byText: byText)
    }

    /// Reads and encodes one prompt's references at the target size: [4, T_ref, h, w] each.
    func encodeReferences(_ paths: [String], prompt: Int, request: GenerationRequest, vae: VideoVAE) throws -> [Tensor] {
        try paths.enumerated().map { i, path in
            let frames = try VideoReader.read(path, size: request.size)
            return try vae.encode(frames.pixels().expandedDims(0), key: Self.referenceKey(seed: request.seed, prompt: prompt, index: i))[0]
        }
    }

    /// The key that encodes reference `index` of prompt `prompt` (the VAE samples its posteriors).
    static func referenceKey(seed: UInt64, prompt: Int, index: Int) -> RandomKey {
        RandomKey(seed: seed).child(2).child(prompt).child(index)
    }

    /// Every loop of one sample of a batch; loop > 0 is conditioned on the previous clip's last frames.
    func sampleLoops(batch: [PreparedPrompt], batchStart: Int, sample k: Int, references initial: [[Tensor]], features: TextFeatures,
                     latent: (frames: Int, height: Int, width: Int), request: GenerationRequest, root: RandomKey,
                     models: ModelBundle, events: inout EventRelay) throws -> [[VideoFrames]] {
        var clips = [[VideoFrames]](repeating: [], count: batch.count)
        var references = initial
        var strategies = batch.map(\.maskStrategy)
        for loop in 0..<request.loops {
            if loop > 0 {
                try events.begin(.encodingLoopCondition(loop: loop))
                for i in clips.indices {
                    let key = root.child(1).child(batchStart + i).child(k).child(loop)
                    references[i].append(try models.vae.encode(clips[i][loop - 1].pixels().expandedDims(0), key: key)[0])
                    strategies[i] = strategies[i].appending(MaskCondition(
                        loop: loop, referenceIndex: references[i].count - 1, referenceStart: -request.conditionFrameLength,
                        targetStart: 0, length: request.conditionFrameLength, editRatio: request.conditionFrameEdit))
                }
            }
            let texts = try features.batch(batch.map { $0.loopTexts[loop] })
            try events.begin(.sampling(loop: loop))
            let latents = try sampleLatents(texts: texts, references: references, strategies: strategies, loop: loop, latent: latent,
                                            channels: models.vae.latentChannels, request: request, key: root.child(0).child(batchStart).child(k).child(loop),
                                            denoiser: models.denoiser, events: &events)
            try events.begin(.decoding)
            let pixels = try models.vae.decode(latents, numFrames: request.numFrames)
            for i in clips.indices { clips[i].append(try VideoFrames(pixels: pixels[i])) }
        }
        return clips
    }

    /// Noise with the references written in where the mask strategies condition, integrated to latents.
    func sampleLatents(texts: (y: Tensor, mask: Tensor), references: [[Tensor]], strategies: [MaskStrategy], loop: Int,
                       latent: (frames: Int, height: Int, width: Int), channels: Int, request: GenerationRequest, key: RandomKey,
                       denoiser: STDiT3, events: inout EventRelay) throws -> Tensor {
        let b = strategies.count
        let keys = key.split(into: 2)
        var z = Tensor.normal([b, channels, latent.frames, latent.height, latent.width], key: keys[0])
        var masks = [[Double]]()
        for i in 0..<b {
            let plan = try strategies[i].plan(latentFrames: latent.frames, referenceLengths: references[i].map { $0.dim(1) }, loop: loop,
                                              align: request.align)
            for p in plan.placements {
                let source = references[i][p.referenceIndex][.all, p.referenceStart..<(p.referenceStart + p.count)]
                z = z.updatingSlice(start: [i, 0, p.targetStart, 0, 0], with: source.expandedDims(0))
            }
            masks.append(plan.mask)
        }
        let info = ConditioningInfo(batch: b, size: request.size, numFrames: request.numFrames, fps: request.fps)
        let guided = ClassifierFreeGuidance(model: denoiser, caption: texts.y, captionMask: texts.mask, fps: Tensor(info.fps),
                                            height: Double(info.height[0]), width: Double(info.width[0]))
        let sampler = RectifiedFlowSampler(stepCount: request.steps, guidanceScale: request.guidanceScale,
                                           useTimestepTransform: request.timestepTransform, transformScale: request.transformScale)
        let noiseKey = keys[1]
        let latents = try sampler.sample(
            z: z, geometry: info.geometry, mask: Tensor(doubles: masks.flatMap { $0 }, shape: [b, latent.frames]),
            noise: { i in Tensor.normal(z.shape, key: noiseKey.child(i)) }, model: guided.callAsFunction,
            onStep: { [events] step in try events.step(step.index + 1, of: request.steps) })
        try Self.requireFinite(latents)
        return latents
    }

    /// NaN or infinite latents decode to a black video that looks like success: refuse them instead.
    static func requireFinite(_ latents: Tensor) throws {
        let probe = try (latents * 0).sum().item()
        guard probe == 0 else {
            throw OpenSoraError.invalidInput("sampling produced non-finite latents (NaN or Inf): the STDiT3 checkpoint is likely "
                + "corrupt or does not match the model, or the compute dtype overflowed (try --dtype float32)")
        }
    }

    /// Clip 0 whole, later clips without the frames their condition covered.
    func joinLoops(_ clips: [VideoFrames], request: GenerationRequest) throws -> VideoFrames {
        guard clips.count > 1 else { return clips[0] }
        let overlap = try FrameCount.pixelFrames(forLatent: request.conditionFrameLength)
        return VideoFrames.concatenate([clips[0]] + clips.dropFirst().map { $0.slice(min(overlap, $0.count)..<$0.count) })
    }
}

/// Turns the engine's progress into events, times each stage and applies the handler's cancel.
struct EventRelay {
    let handler: GenerationEventHandler
    private(set) var stage = GenerationStage.encodingText
    private(set) var stageStart = Date()

    init(handler: @escaping GenerationEventHandler) { self.handler = handler }

    mutating func begin(_ next: GenerationStage) throws {
        stage = next
        stageStart = Date()
        try send(.stage(next))
    }

    func step(_ index: Int, of total: Int) throws {
        try send(.step(index: index, total: total, elapsed: Date().timeIntervalSince(stageStart)))
    }

    func send(_ event: GenerationEvent) throws {
        if handler(event) == .cancel { throw GenerationCancelled(stage: stage) }
    }
}
