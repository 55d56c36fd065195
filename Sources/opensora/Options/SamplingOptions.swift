import ArgumentParser
import OpenSora

/// What to generate: size, length, rates, sampler settings and the prompt conditioning, with the
/// reference's option names and defaults (configs/opensora-v1-2/inference/sample.py).
/// Options left out take the model's own defaults (its generation_config.json), then the reference's.
struct SamplingOptions: ParsableArguments {
    @Option(help: "Resolution (default: the model's, else 240p).")
    var resolution: Resolution?

    @Option(help: "Aspect ratio as H:W (default: the model's, else 9:16).")
    var aspectRatio: AspectRatio?

    @Option(help: "Frames: a number (1 = image) or \(FrameCount.names.map(\.name).joined(separator: ", ")) (default: the model's, else 51).",
            transform: { try FrameCount.parse($0) })
    var numFrames: Int?

    @Option(help: "The fps condition for videos (default: the model's, else 24).")
    var fps: Int?

    @Option(help: "Frame rate of the written file (default: --fps).")
    var saveFps: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    @Option(help: "Sampling steps (default: the model's, else 30).")
    var numSamplingSteps: Int?

    @Option(help: "Classifier-free guidance scale (default: the model's, else 7).")
    var cfgScale: Float?

    @Option(help: "Aesthetic score appended to the prompt, \"none\" to omit (default: the model's, else 6.5).")
    var aes: String?

    @Option(help: "Motion score appended to the prompt.")
    var flow: Double?

    @Option(help: "Camera motion appended to the prompt.")
    var cameraMotion: CameraMotion?

    /// These flags as the shared settings (the server's JSON becomes the same type).
    func settings() throws -> GenerationSettings {
        var s = GenerationSettings()
        s.resolution = resolution
        s.aspectRatio = aspectRatio
        s.numFrames = numFrames
        s.fps = fps
        s.saveFPS = saveFps
        s.seed = seed
        s.steps = numSamplingSteps
        s.cfgScale = cfgScale
        if let aes {
            if aes.lowercased() == "none" {
                s.aesthetic = .omitted
            } else {
                guard let v = Double(aes) else { throw ValidationError("--aes '\(aes)' must be a number or 'none'") }
                s.aesthetic = .score(v)
            }
        }
        s.motion = flow
        s.cameraMotion = cameraMotion
        return s
    }

    /// The frame count asked for, else the model's, else the reference's 51.
    func frames(_ defaults: GenerationDefaults?) -> Int {
        var s = GenerationSettings()
        s.numFrames = numFrames
        return s.frames(defaults)
    }

    /// Writes these settings into `request`, each unset one from `defaults`, then the reference's.
    func apply(to request: inout GenerationRequest, defaults: GenerationDefaults? = nil) throws {
        try settings().apply(to: &request, defaults: defaults)
    }
}
