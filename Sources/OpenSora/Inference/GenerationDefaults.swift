// Added (not in the reference): a model's own sampling defaults, read from `generation_config.json` beside its weights
// (the Hugging Face convention), so `generate` with no size options makes what the model was trained for.
import Foundation

/// The size, length, rates and sampler settings a model generates with unless the user says otherwise; absent keys
/// keep the reference's defaults (configs/opensora-v1-2/inference/sample.py).
public struct GenerationDefaults: Codable, Equatable, Sendable {
    public var resolution: Resolution?
    public var aspectRatio: AspectRatio?
    public var numFrames: Int?
    public var fps: Int?
    /// The aesthetic score appended to prompts; `aes_none: true` appends none (a model trained without scores).
    public var aes: Double?
    public var aesNone: Bool?
    public var numSamplingSteps: Int?
    public var cfgScale: Float?
    /// The reference inference config's `scheduler.use_timestep_transform`: false for a model trained without the
    /// resolution shift (a 64² model's shift, 0.28, leaves 3 of 30 steps above t = 700, where layout is decided).
    public var useTimestepTransform: Bool?
    /// Added: the transform's `scale` (the training scheduler's `transform_scale`; the reference's sampler always uses 1),
    /// so a model trained with a scaled shift samples on the same timesteps.
    public var transformScale: Float?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case resolution, aspectRatio = "aspect_ratio", numFrames = "num_frames", fps, aes, aesNone = "aes_none"
        case numSamplingSteps = "num_sampling_steps", cfgScale = "cfg_scale", useTimestepTransform = "use_timestep_transform"
        case transformScale = "transform_scale"
    }

    public static let fileName = "generation_config.json"

    /// The defaults in `folder`, or nil when it has no such file.
    public static func read(folder: String, name: String = fileName) throws -> GenerationDefaults? {
        let path = (folder as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(GenerationDefaults.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw OpenSoraError.invalidConfiguration("\(path): \(error)")
        }
    }
}
