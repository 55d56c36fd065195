import Foundation
import OpenSora

/// The body of `POST /v1/videos`: one prompt and the generate options, in the reference's snake_case names.
/// Decoding checks each field's type and choices; ranges are `GenerationRequest.validate()`'s, as for the CLI.
public struct VideoOptions: Sendable, Equatable {
    public var prompt: String
    public var settings = GenerationSettings()
    public var loop: Int?
    public var maskStrategy: MaskStrategy?
    /// Rewrite the prompt with the server's LLM before generating (`generate --llm-refine`).
    public var llmRefine = false

    public init(prompt: String) { self.prompt = prompt }

    public static let fields = ["prompt", "resolution", "aspect_ratio", "num_frames", "duration", "fps", "seed",
                                "num_sampling_steps", "cfg_scale", "aes", "flow", "camera_motion", "loop", "mask_strategy", "llm_refine"]

    /// Parses a JSON object; every mistake is an `InvalidSetting` naming the field and what is accepted.
    public init(json data: Data) throws {
        let root: JSONValue
        do { root = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw InvalidSetting(field: "body", "the body is not valid JSON; accepted: a JSON object such as {\"prompt\": \"a red circle\"}")
        }
        guard case .object(let body) = root else {
            throw InvalidSetting(field: "body", "the body is \(root.kind); accepted: a JSON object with a \"prompt\"")
        }
        if let unknown = body.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw InvalidSetting(field: String(unknown.prefix(60)), "unknown field '\(unknown.prefix(60))'; accepted: \(Self.fields.joined(separator: ", "))")
        }
        let f = FieldReader(body)
        guard let prompt = try f.string("prompt") else {
            throw InvalidSetting(field: "prompt", "prompt is required: a non-empty string")
        }
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw InvalidSetting(field: "prompt", "prompt is empty; accepted: a non-empty string")
        }
        // A caption may carry inline JSON (`generate`'s `{"reference_path": …}`); a path must not come in that way.
        let inline: (caption: String, referencePath: String?, maskStrategy: String?)
        do { inline = try PromptText.extractJSON(prompt) } catch { throw InvalidSetting(field: "prompt", "\(error)") }
        guard inline.referencePath == nil else {
            throw InvalidSetting(field: "prompt", "the prompt's inline JSON names a reference_path; accepted: a caption without file paths "
                + "(the API reads no paths from requests)")
        }
        self.init(prompt: prompt)
        settings.resolution = try f.choice("resolution", Resolution.allCases)
        settings.aspectRatio = try f.choice("aspect_ratio", AspectRatio.allCases)
        settings.cameraMotion = try f.choice("camera_motion", CameraMotion.allCases)
        settings.numFrames = try f.frames("num_frames")
        if let duration = try f.duration("duration") {
            guard settings.numFrames == nil else {
                throw InvalidSetting(field: "duration", "give num_frames or duration, not both")
            }
            settings.numFrames = duration
        }
        settings.fps = try f.int("fps")
        settings.seed = try f.seed("seed") ?? settings.seed
        settings.steps = try f.int("num_sampling_steps")
        settings.cfgScale = try f.double("cfg_scale").map { Float($0) }
        settings.aesthetic = try f.aesthetic("aes")
        settings.motion = try f.double("flow")
        loop = try f.int("loop")
        llmRefine = try f.bool("llm_refine") ?? false
        if let text = try f.string("mask_strategy") {
            do { maskStrategy = try MaskStrategy(parsing: text) } catch { throw InvalidSetting(field: "mask_strategy", "\(error)") }
        }
    }

    /// The request the worker runs and the options as shown back, every default resolved and the whole request
    /// validated (the same checks `opensora generate` makes).
    public func resolve(defaults: GenerationDefaults?) throws -> (request: GenerationRequest, options: ResolvedOptions) {
        var request = GenerationRequest(prompts: [prompt])
        try settings.apply(to: &request, defaults: defaults)
        request.loops = loop ?? 1
        request.maskStrategies = maskStrategy.map { [$0] } ?? []
        request.format = .mp4
        try request.validate()
        let shape = settings.shape(defaults)
        return (request, ResolvedOptions(prompt: prompt, resolution: shape.resolution.rawValue, aspect_ratio: shape.aspectRatio.rawValue,
                                         height: request.size.height, width: request.size.width, num_frames: request.numFrames,
                                         fps: request.fps, seed: request.seed, num_sampling_steps: request.steps,
                                         cfg_scale: request.guidanceScale, aes: request.aesthetic, flow: request.motion,
                                         camera_motion: request.cameraMotion?.rawValue, loop: request.loops,
                                         mask_strategy: maskStrategy?.text))
    }
}

/// The options a video was made with, every default filled in; `GET /v1/videos/{id}` shows them.
public struct ResolvedOptions: Codable, Sendable, Equatable {
    public let prompt: String
    public let resolution: String
    public let aspect_ratio: String
    public let height: Int
    public let width: Int
    public let num_frames: Int
    public let fps: Int
    public let seed: UInt64
    public let num_sampling_steps: Int
    public let cfg_scale: Float
    public let aes: Double?
    public let flow: Double?
    public let camera_motion: String?
    public let loop: Int
    public var mask_strategy: String?
    /// The uploaded reference as its content was found ("png image 320×240"); nil without one.
    public var reference: String? = nil
    /// With `llm_refine`: the prompt the video was made from, or why the LLM's answer could not be had (the prompt
    /// is then used as given, as the reference does).
    public var refined_prompt: String? = nil
    public var refine_error: String? = nil
}
