// Reference: scripts/inference.py@v1.2.0 (model building); spec/inference.md §1 step 5.
import Foundation
import MLXTensor
import NN

/// The three networks of a generation: the text encoder (built on demand and released after the
/// prompts are encoded), the diffusion transformer and the video VAE.
public struct ModelBundle {
    public let makeTextEncoder: () throws -> TextEncoder
    public let denoiser: STDiT3
    public let vae: VideoVAE
    public let description: String

    public init(makeTextEncoder: @escaping () throws -> TextEncoder, denoiser: STDiT3, vae: VideoVAE, description: String) {
        self.makeTextEncoder = makeTextEncoder
        self.denoiser = denoiser
        self.vae = vae
        self.description = description
    }

    /// A tiny model of the full architecture with seeded random weights: every stage runs end to end
    /// in seconds, the output is noise-like. For tests and until the trained default model ships.
    public static func tinyRandom(seed: UInt64 = 2026) throws -> ModelBundle {
        var stdit = STDiT3Config.tiny
        stdit.modelMaxLength = 300
        let keys = RandomKey(seed: seed).split(into: 4)
        let denoiser = try STDiT3(stdit, key: keys[0])
        try denoiser.update(parameters: ["y_embedder.y_embedding": Tensor.normal([300, stdit.captionChannels], key: keys[1]) * 0.2])
        let vae = try VideoVAE(.tiny, key: keys[2])
        return ModelBundle(makeTextEncoder: { try TextEncoder.tiny(key: keys[3]) }, denoiser: denoiser, vae: vae,
                           description: "tiny random-weight preset")
    }

    /// The official checkpoints: `stdit` (folder with config.json + weights, or a file), `vae`
    /// (OpenSora-VAE-v1.2 folder or file), `t5` (the t5-v1_1-xxl folder), all loaded strictly. Each
    /// takes any form `CheckpointFiles.accepted` lists (safetensors or `.bin`, sharded or not).
    public static func official(stdit: String, vae vaePath: String, t5: String, dtype: DType = .float32) throws -> ModelBundle {
        let denoiser = try loadDenoiser(at: stdit, dtype: dtype)
        let vae = try loadVAE(at: vaePath, config: .v1_2, dtype: dtype)
        return ModelBundle(makeTextEncoder: { try TextEncoder(folder: t5) }, denoiser: denoiser, vae: vae,
                           description: "official checkpoints (\(stdit), \(vaePath), \(t5))")
    }

    /// STDiT3 from a checkpoint, configured by the folder's config.json when it has one (else XL/2).
    public static func loadDenoiser(at path: String, dtype: DType) throws -> STDiT3 {
        let configPath = URL(fileURLWithPath: path).appendingPathComponent("config.json").path
        var config = STDiT3Config.xl2
        if FileManager.default.fileExists(atPath: configPath) { config = try ModelFolder.config(STDiT3Config.self, at: configPath) }
        let denoiser = try STDiT3(config, key: RandomKey(seed: 0))  // every parameter is replaced by the strict load
        try denoiser.loadWeights(from: ModelFolder.tensors(at: path), strict: true, dtype: dtype)
        return denoiser
    }

    /// The video VAE from a checkpoint (a folder or file `ModelFolder.tensors(at:)` reads); one without
    /// the normalisation buffers gets the config's constants.
    public static func loadVAE(at path: String, config: VideoVAEConfig, dtype: DType = .float32) throws -> VideoVAE {
        let vae = try VideoVAE(config, key: RandomKey(seed: 0))  // every parameter is replaced by the strict load
        var weights = try ModelFolder.tensors(at: path)
        for name in ["scale", "shift"] where weights[name] == nil { weights[name] = vae.namedParameters().first { $0.0 == name }?.1 }
        try vae.loadWeights(from: weights, strict: true, dtype: dtype)
        return vae
    }

    /// The three official folders inside `directory` (names as published, or short names).
    public static func official(directory: String, dtype: DType = .float32) throws -> ModelBundle {
        func find(_ names: [String], _ what: String) throws -> String {
            for name in names {
                let path = (directory as NSString).appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: path) { return path }
            }
            throw CheckpointError.notFound(path: directory, accepted: "a \(what) folder named one of \(names.joined(separator: ", "))")
        }
        return try official(stdit: find(["OpenSora-STDiT-v3", "STDiT-v3", "stdit3"], "STDiT3"),
                            vae: find(["OpenSora-VAE-v1.2", "VAE-v1.2", "vae"], "VAE"),
                            t5: find(["t5-v1_1-xxl", "t5"], "T5"), dtype: dtype)
    }
}
