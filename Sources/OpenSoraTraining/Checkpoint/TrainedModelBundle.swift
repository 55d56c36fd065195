// Reference: scripts/inference.py@v1.2.0 `--ckpt-path outputs/NNN-STDiT3-XL-2/epochE-global_stepG` (a training
// checkpoint folder loads as the model); spec/surfaces.md §2.1.
import Foundation
import MLXTensor
import NN
import OpenSora

extension ModelBundle {
    /// The models of a training checkpoint folder: STDiT3 from its weights (or its EMA) and `config.json`; the VAE
    /// and text encoder as the run built them (the same files, or the same seeded tiny weights) unless paths are given.
    public static func trainingCheckpoint(_ folder: String, vaePath: String? = nil, t5Path: String? = nil, useEMA: Bool = false,
                                          dtype: DType = .float32) throws -> ModelBundle {
        let loaded = try TrainingCheckpoint.load(from: folder)
        var config = loaded.checkpoint.config
        let denoiser = try trainedDenoiser(loaded, useEMA: useEMA, dtype: dtype)
        if let vaePath { config.vae = (config.vae ?? .init()).with(weights: vaePath) }
        let vae = try vaePath.map { try videoVAE(at: $0, dtype: dtype) } ?? DiffusionModels.encoders(config, text: false).vae!
        let textConfig = config.textEncoder ?? .init()
        // Built on each call: the container releases the encoder after encoding, and the run's one is reproducible.
        return ModelBundle(makeTextEncoder: {
            if let t5Path { return try TextEncoder(folder: t5Path, maxLength: textConfig.modelMaxLength) }
            return try DiffusionModels.encoders(config, video: false).textEncoder!
        }, denoiser: denoiser, vae: vae, description: "training checkpoint \(folder)\(useEMA ? " (EMA weights)" : "")")
    }

    /// The STDiT3 of a diffusion checkpoint (its EMA weights with `useEMA`), configured by its config.json.
    public static func trainedDenoiser(_ loaded: LoadedCheckpoint, useEMA: Bool, dtype: DType = .float32) throws -> STDiT3 {
        let folder = loaded.folder
        guard loaded.checkpoint.config.trainer == .diffusion else {
            throw TrainingError.wrongTrainer(config: folder, expected: .diffusion, found: loaded.checkpoint.config.trainer)
        }
        guard let json = loaded.checkpoint.modelConfig else {
            throw TrainingCheckpointError.missingFile(checkpoint: folder, file: TrainingCheckpoint.File.modelConfig.rawValue)
        }
        let denoiser = try STDiT3(try STDiT3Config.decode(json: json), key: RandomKey(seed: 0))  // replaced by the strict load
        guard let weights = useEMA ? loaded.checkpoint.ema : loaded.checkpoint.model else {
            throw TrainingCheckpointError.missingFile(checkpoint: folder, file: TrainingCheckpoint.File.ema.rawValue)
        }
        try denoiser.loadWeights(from: weights.tensors, strict: true, dtype: dtype)
        return denoiser
    }

    /// A video VAE from weights: a `train-vae` checkpoint folder (its `config.json` picks the size) or released weights (v1.2).
    public static func videoVAE(at path: String, dtype: DType = .float32) throws -> VideoVAE {
        let config = hasModelConfig(path) ? try ModelFolder.config(VideoVAEConfig.self, at: modelConfigPath(path)) : .v1_2
        return try loadVAE(at: path, config: config, dtype: dtype)
    }

    static func modelConfigPath(_ folder: String) -> String {
        (folder as NSString).appendingPathComponent(TrainingCheckpoint.File.modelConfig.rawValue)
    }

    /// Whether `path` is a folder with a model `config.json` (ours, or a Hugging Face model folder).
    public static func hasModelConfig(_ path: String) -> Bool { FileManager.default.fileExists(atPath: modelConfigPath(path)) }

}

extension TrainingConfig.VAE {
    func with(weights path: String) -> Self {
        var copy = self
        copy.fromPretrained = path
        return copy
    }
}
