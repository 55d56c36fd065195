// Reference: configs/opensora-v1-2/inference/sample.py@v1.2.0 (defaults); spec/inference.md §2.

/// Everything one `generate` run needs besides the models, with the reference's defaults.
/// Codable: the JSON sidecar written next to each video records it, and a server decodes it from
/// HTTP — so `validate()` checks every field before anything is planned or allocated.
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
    /// The sampler's resolution/length shift of timesteps (the reference's `use_timestep_transform`, on by default).
    public var timestepTransform = true
    /// The transform's scale (1 in the reference's sampler).
    public var transformScale: Float = 1
    public var aesthetic: Double? = 6.5
    public var motion: Double? = nil
    public var cameraMotion: CameraMotion? = nil
    /// Per prompt, `;`-separated image/video paths (empty = none).
    public var referencePaths: [String] = []
    /// Per prompt, the mask strategy (empty = none).
    public var maskStrategies: [MaskStrategy] = []
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

    /// Absent keys keep the defaults above (a client sends only what it changes); present ones must
    /// have the right type. Ranges are `validate()`'s job.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var r = GenerationRequest(prompts: try c.decode([String].self, forKey: .prompts))
        func take<T: Decodable>(_ key: CodingKeys, _ field: inout T) throws {
            if let v = try c.decodeIfPresent(T.self, forKey: key) { field = v }
        }
        func takeOptional<T: Decodable>(_ key: CodingKeys, _ field: inout T?) throws {
            if c.contains(key) { field = try c.decodeIfPresent(T.self, forKey: key) }
        }
        try take(.size, &r.size)
        try take(.numFrames, &r.numFrames)
        try take(.fps, &r.fps)
        try take(.saveFPS, &r.saveFPS)
        try take(.seed, &r.seed)
        try take(.steps, &r.steps)
        try take(.guidanceScale, &r.guidanceScale)
        try take(.timestepTransform, &r.timestepTransform)
        try take(.transformScale, &r.transformScale)
        try takeOptional(.aesthetic, &r.aesthetic)
        try takeOptional(.motion, &r.motion)
        try takeOptional(.cameraMotion, &r.cameraMotion)
        try take(.referencePaths, &r.referencePaths)
        try take(.maskStrategies, &r.maskStrategies)
        try take(.loops, &r.loops)
        try take(.conditionFrameLength, &r.conditionFrameLength)
        try take(.conditionFrameEdit, &r.conditionFrameEdit)
        try takeOptional(.align, &r.align)
        try take(.batchSize, &r.batchSize)
        try take(.sampleCount, &r.sampleCount)
        try take(.startIndex, &r.startIndex)
        try take(.saveDirectory, &r.saveDirectory)
        try takeOptional(.sampleName, &r.sampleName)
        try take(.promptAsPath, &r.promptAsPath)
        try take(.format, &r.format)
        self = r
    }

    /// The accepted ranges, one place for the CLI, the server and the planner.
    public enum Limits {
        public static let promptBytes = 1 << 20
        public static let prompts = 10_000
        public static let side = 8...8192
        public static let frames = 1...10_000
        public static let fps = 1...1000
        public static let steps = 1...1000
        public static let guidance: ClosedRange<Float> = -1000...1000
        public static let loops = 1...100
        public static let perBatch = 1...256
        public static let startIndex = 0...1_000_000_000
        public static let nameLength = 200
    }

    /// Rejects impossible settings with the field, the value and what is accepted (an `InvalidSetting`).
    public func validate() throws {
        func bad(_ field: String, _ m: String) -> InvalidSetting { InvalidSetting(field: field, m) }
        func within<T: Comparable>(_ field: String, _ name: String, _ value: T, _ range: ClosedRange<T>, _ hint: String = "") throws {
            guard range.contains(value) else {
                throw bad(field, "\(name) \(value) is out of range; accepted: \(range.lowerBound)...\(range.upperBound)\(hint)")
            }
        }
        func within<T: Comparable>(_ name: String, _ value: T, _ range: ClosedRange<T>, _ hint: String = "") throws {
            try within(name, name, value, range, hint)
        }
        guard !prompts.isEmpty else { throw bad("prompt", "no prompt given; pass a prompt or --prompt-path") }
        try within("prompt", "number of prompts", prompts.count, 1...Limits.prompts)
        if let long = prompts.firstIndex(where: { $0.utf8.count > Limits.promptBytes }) {
            throw bad("prompt", "prompt \(long) has \(prompts[long].utf8.count) bytes; accepted: at most \(Limits.promptBytes)")
        }
        try within("resolution", "image height", size.height, Limits.side)
        try within("resolution", "image width", size.width, Limits.side)
        try within("num_frames", numFrames, Limits.frames)
        guard numFrames == 1 || numFrames >= 17 else {
            throw bad("num_frames", "num_frames \(numFrames) is impossible: use 1 (image) or at least 17 (the timestep transform needs whole 17-frame clips)")
        }
        try within("fps", fps, Limits.fps)
        try within("save_fps", saveFPS, Limits.fps)
        try within("num_sampling_steps", steps, Limits.steps)
        guard guidanceScale.isFinite else { throw bad("cfg_scale", "cfg_scale \(guidanceScale) must be a finite number") }
        try within("cfg_scale", guidanceScale, Limits.guidance)
        guard transformScale.isFinite, transformScale > 0 else {
            throw bad("transform_scale", "transform_scale \(transformScale) must be a finite number > 0")
        }
        for (name, value) in [("aes", aesthetic), ("flow", motion)] {
            if let value, !value.isFinite { throw bad(name, "\(name) \(value) must be a finite number") }
        }
        try within("loop", loops, Limits.loops)
        guard conditionFrameLength > 0, conditionFrameLength % 5 == 0 else {
            throw bad("condition_frame_length", "condition_frame_length \(conditionFrameLength) must be a positive multiple of 5 latent frames")
        }
        guard conditionFrameEdit.isFinite, (0...1).contains(conditionFrameEdit) else {
            throw bad("condition_frame_edit", "condition_frame_edit \(conditionFrameEdit) is out of range; accepted: 0...1")
        }
        if let align { try within("align", align, 1...Limits.frames.upperBound, " (latent frames; omit for no snapping)") }
        try within("batch_size", batchSize, Limits.perBatch)
        try within("num_sample", sampleCount, Limits.perBatch)
        try within("start_index", startIndex, Limits.startIndex)
        guard !saveDirectory.isEmpty else { throw bad("save_dir", "save_dir must not be empty") }
        if let sampleName {
            guard !sampleName.isEmpty, sampleName.count <= Limits.nameLength, !sampleName.contains("/"), !sampleName.contains("\0"),
                  sampleName != ".", sampleName != ".." else {
                throw bad("sample_name", "sample_name '\(sampleName.prefix(40))' must be a file-name prefix of 1 to \(Limits.nameLength) characters without '/'")
            }
        }
        for (name, count) in [("reference_path", referencePaths.count), ("mask_strategy", maskStrategies.count)] where count != 0 && count != prompts.count {
            throw bad(name, "\(name) has \(count) entries for \(prompts.count) prompt(s): give one per prompt")
        }
        for strategy in maskStrategies {
            do { try strategy.validate() } catch { throw bad("mask_strategy", "\(error)") }
        }
    }
}
