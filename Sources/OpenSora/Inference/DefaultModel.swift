// Added (not in the reference): the embedded default model (DESIGN.md "The embedded default model", docs/default-model.md):
// STDiT3, the video VAE and T5 at small width, trained by this project on synthetic moving shapes and shipped in the
// resources in the official folder layout, so `generate` with no model makes a real video on a fresh machine.
import Foundation
import MLXTensor
import NN

public enum DefaultModel {
    /// The folder holding stdit/, vae/ and t5/, each with config.json and model.safetensors (t5 adds spiece.model).
    public static var folder: String? {
        Bundle.module.url(forResource: "default-model", withExtension: nil, subdirectory: "Resources")?.path
    }

    /// Whether the weights are present (a checkout without them falls back to the random-weight preset).
    public static var isAvailable: Bool {
        guard let folder else { return false }
        return ["stdit", "vae", "t5"].allSatisfy {
            FileManager.default.fileExists(atPath: ((folder as NSString).appendingPathComponent($0) as NSString).appendingPathComponent("config.json"))
        }
    }

    static func part(_ name: String) throws -> String {
        guard let folder, isAvailable else {
            throw CheckpointError.notFound(path: "Resources/default-model/\(name)", accepted: "the bundled default model (make default-model)")
        }
        return (folder as NSString).appendingPathComponent(name)
    }

    /// The model's sampling defaults (stdit/generation_config.json).
    public static func generationDefaults() throws -> GenerationDefaults? {
        try GenerationDefaults.read(folder: part("stdit"))
    }

    /// The three networks, loaded strictly.
    public static func bundle(dtype: DType = .float32) throws -> ModelBundle {
        let stdit = try part("stdit"), vae = try part("vae"), t5 = try part("t5")
        let denoiser = try ModelBundle.loadDenoiser(at: stdit, dtype: dtype)
        let vaeConfig = try ModelFolder.config(VideoVAEConfig.self, at: (vae as NSString).appendingPathComponent("config.json"))
        let textLength = denoiser.config.modelMaxLength
        return ModelBundle(makeTextEncoder: { try TextEncoder(folder: t5, maxLength: textLength) }, denoiser: denoiser,
                           vae: try ModelBundle.loadVAE(at: vae, config: vaeConfig, dtype: dtype),
                           description: "the embedded default model (docs/default-model.md)")
    }
}
