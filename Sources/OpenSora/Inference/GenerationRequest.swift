// Reference: configs/opensora-v1-2/inference/sample.py@v1.2.0 (defaults); spec/inference.md §2.

/// Everything one `generate` run needs besides the models, with the reference's defaults.
/// Codable: the JSON sidecar written next to each video records it so a video can be reproduced.
public struct GenerationRequest: Codable, Equatable, Sendable {
    public var prompts: [String]
    public var size = VideoSize(height: 240, width: 426)
    public var numFrames = 51
    /// The fps condition given to the model (videos; images use 120).
    public var fps = 24
    /// The frame rate written into the file.
    public var saveFPS = 24
    public var seed: UInt64 = 42
    public var steps = 30
    public var guidanceScale: Float = 7
    public var aesthetic: Double? = 6.5
    public var motion: Double? = nil
    public var cameraMotion: String? = nil
    /// Per prompt, `;`-separated image/video paths (empty = none).
    public var referencePaths: [String] = []
    /// Per prompt, the mask strategy (empty = none).
    public var maskStrategies: [String] = []
    public var loops = 1
    /// Latent frames of the previous clip that condition the next loop (a multiple of 5).
    public var conditionFrameLength = 5
    public var conditionFrameEdit = 0.0
    public var align: Int? = 5
    public var batchSize = 1
    public var sampleCount = 1
    public var startIndex = 0
    public var saveDirectory = "samples"
    public var sampleName: String? = nil
    public var promptAsPath = false
    public var format = OutputFormat.mp4

    public init(prompts: [String]) { self.prompts = prompts }

    /// Rejects impossible settings with the value and what is accepted.
    public func validate() throws {
        func bad(_ m: String) -> OpenSoraError { .invalidInput(m) }
        guard !prompts.isEmpty else { throw bad("no prompt given; pass a prompt or --prompt-path") }
        guard numFrames >= 1, numFrames == 1 || numFrames >= 17 else {
            throw bad("num_frames \(numFrames) is impossible: use 1 (image) or at least 17 (the timestep transform needs whole 17-frame clips)")
        }
        guard size.height >= 8, size.width >= 8 else { throw bad("image size \(size) must be at least 8x8") }
        guard steps >= 1 else { throw bad("num_sampling_steps \(steps) must be at least 1") }
        guard fps >= 1, saveFPS >= 1 else { throw bad("fps \(fps) / save fps \(saveFPS) must be at least 1") }
        guard loops >= 1 else { throw bad("loop \(loops) must be at least 1") }
        guard conditionFrameLength > 0, conditionFrameLength % 5 == 0 else {
            throw bad("condition_frame_length \(conditionFrameLength) must be a positive multiple of 5 latent frames")
        }
        guard batchSize >= 1, sampleCount >= 1 else { throw bad("batch size \(batchSize) and num samples \(sampleCount) must be at least 1") }
        for (name, list) in [("reference_path", referencePaths), ("mask_strategy", maskStrategies)] where !list.isEmpty && list.count != prompts.count {
            throw bad("\(name) has \(list.count) entries for \(prompts.count) prompt(s): give one per prompt")
        }
        for s in maskStrategies { _ = try MaskStrategy(parsing: s) }
    }
}
