import ArgumentParser
import OpenSora

/// What to generate: size, length, rates, sampler settings and the prompt conditioning, with the
/// reference's option names and defaults (configs/opensora-v1-2/inference/sample.py).
struct SamplingOptions: ParsableArguments {
    @Option(help: "Resolution.")
    var resolution = Resolution(rawValue: "240p")!

    @Option(help: "Aspect ratio as H:W.")
    var aspectRatio = AspectRatio(rawValue: "9:16")!

    @Option(help: "Frames: a number (1 = image) or \(FrameCount.names.map(\.name).joined(separator: ", ")).",
            transform: { try FrameCount.parse($0) })
    var numFrames = 51

    @Option(help: "The fps condition for videos.")
    var fps = 24

    @Option(help: "Frame rate of the written file (default: --fps).")
    var saveFps: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    @Option(help: "Sampling steps.")
    var numSamplingSteps = 30

    @Option(help: "Classifier-free guidance scale.")
    var cfgScale: Float = 7

    @Option(help: "Aesthetic score appended to the prompt (\"none\" to omit).")
    var aes = "6.5"

    @Option(help: "Motion score appended to the prompt.")
    var flow: Double?

    @Option(help: "Camera motion appended to the prompt.")
    var cameraMotion: CameraMotion?

    /// Writes these settings into `request`.
    func apply(to request: inout GenerationRequest) throws {
        request.size = try ResolutionTable.imageSize(resolution, aspectRatio)
        request.numFrames = numFrames
        request.fps = fps
        request.saveFPS = saveFps ?? fps
        request.seed = seed
        request.steps = numSamplingSteps
        request.guidanceScale = cfgScale
        if aes.lowercased() == "none" {
            request.aesthetic = nil
        } else {
            guard let v = Double(aes) else { throw ValidationError("--aes '\(aes)' must be a number or 'none'") }
            request.aesthetic = v
        }
        request.motion = flow
        request.cameraMotion = cameraMotion
    }
}
