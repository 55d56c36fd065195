// Reference: configs/opensora-v1-2/inference/sample.py@v1.2.0 (defaults); spec/surfaces.md §3 (the demo's controls).

/// What a user chooses about one generation — size, length, rates, sampler, prompt conditioning — before the
/// model's defaults fill the gaps. The CLI's flags and the server's JSON both become this, so both resolve
/// and check a request by the same code.
public struct GenerationSettings: Equatable, Sendable {
    /// The aesthetic score: appended as given, or left out of the prompt ("none").
    public enum Aesthetic: Equatable, Sendable {
        case omitted
        case score(Double)
    }

    public var resolution: Resolution?
    public var aspectRatio: AspectRatio?
    public var numFrames: Int?
    public var fps: Int?
    public var saveFPS: Int?
    public var seed: UInt64 = 42
    public var steps: Int?
    public var cfgScale: Float?
    /// nil takes the model's default.
    public var aesthetic: Aesthetic?
    public var motion: Double?
    public var cameraMotion: CameraMotion?

    public init() {}

    /// The reference's defaults where neither the user nor the model says otherwise.
    public static let referenceResolution = Resolution(rawValue: "240p")!
    public static let referenceAspectRatio = AspectRatio(rawValue: "9:16")!

    /// The frame count asked for, else the model's, else the reference's 51.
    public func frames(_ defaults: GenerationDefaults?) -> Int { numFrames ?? defaults?.numFrames ?? 51 }

    /// The resolution and aspect ratio that will be used.
    public func shape(_ defaults: GenerationDefaults?) -> (resolution: Resolution, aspectRatio: AspectRatio) {
        (resolution ?? defaults?.resolution ?? Self.referenceResolution, aspectRatio ?? defaults?.aspectRatio ?? Self.referenceAspectRatio)
    }

    /// Writes these settings into `request`, each unset one from `defaults`, then the reference's.
    public func apply(to request: inout GenerationRequest, defaults: GenerationDefaults? = nil) throws {
        let d = defaults ?? GenerationDefaults()
        let (resolution, aspectRatio) = shape(defaults)
        do {
            request.size = try ResolutionTable.imageSize(resolution, aspectRatio)
        } catch {
            throw InvalidSetting(field: "aspect_ratio", "\(error)")
        }
        request.numFrames = frames(defaults)
        request.fps = fps ?? d.fps ?? 24
        request.saveFPS = saveFPS ?? request.fps
        request.seed = seed
        request.steps = steps ?? d.numSamplingSteps ?? 30
        request.guidanceScale = cfgScale ?? d.cfgScale ?? 7
        request.timestepTransform = d.useTimestepTransform ?? true
        request.transformScale = d.transformScale ?? 1
        switch aesthetic {
        case .omitted: request.aesthetic = nil
        case .score(let v): request.aesthetic = v
        case nil: request.aesthetic = d.aesNone == true ? nil : (d.aes ?? 6.5)
        }
        request.motion = motion
        request.cameraMotion = cameraMotion
    }
}
