// Reference: scripts/train_vae.py@v1.2.0 (build_module(cfg.model): VideoAutoencoderPipeline with vae_2d =
// VideoAutoencoderKL(from_pretrained=SDXL VAE, subfolder="vae"), vae_temporal = VAE_Temporal_SD, then the pipeline's
// own from_pretrained over both); opensora/models/vae/vae.py@v1.2.0; spec/training.md §13.2, spec/vae.md §1–2.
import Foundation
import MLXTensor
import NN
import OpenSora

/// The VAE pipeline a VAE run trains, built from `model`: seeded weights, then the SDXL VAE into the spatial part
/// (`model.vae_2d.from_pretrained`), the temporal part's own file, or the whole pipeline (`model.from_pretrained`:
/// released weights or a previous stage's checkpoint), in the reference's order.
public enum VAETrainingModel {
    /// The network and a line saying where its weights came from.
    public static func build(_ config: TrainingConfig) throws -> (vae: VideoVAE, initialization: String) {
        var c = try videoConfig(config.model)
        c.microFrameSize = nil  // the VAE stages leave micro_frame_size unset: each clip is encoded whole
        c.microBatchSize = config.model.vae2D?.microBatchSize  // and micro_batch_size: all frames in one spatial call
        let vae = try VideoVAE(c, key: RandomKey(seed: config.seed))
        var origin = ["\(config.model.type.rawValue) initialised from seed \(config.seed)"]
        if let path = config.model.fromPretrained {
            let source = try existing(path, key: "model.from_pretrained", checkpoint: true)
            var weights = try ModelFolder.tensors(at: source)
            for name in ["scale", "shift"] where weights[name] == nil { weights[name] = vae.namedParameters().first { $0.0 == name }?.1 }
            try vae.loadWeights(from: weights, strict: true)
            origin = ["\(config.model.type.rawValue) weights from \(source)"]
        } else {
            if let part = config.model.vae2D, let path = part.fromPretrained {
                let folder = part.subfolder.map { (path as NSString).appendingPathComponent($0) }
                let source = try existing(folder.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil } ?? path,
                                          key: "model.vae_2d.from_pretrained", checkpoint: false)
                try vae.loadSpatialWeights(diffusersPath: source)
                origin.append("spatial VAE from \(source)")
            }
            if let path = config.model.vaeTemporal?.fromPretrained {
                let source = try existing(path, key: "model.vae_temporal.from_pretrained", checkpoint: false)
                try vae.temporal.loadWeights(from: ModelFolder.tensors(at: source), strict: true)
                origin.append("temporal VAE from \(source)")
            }
            if let logvar = config.model.posteriorLogvarInit {
                try initialisePosteriorLogvar(vae, to: logvar)
                origin.append("posterior log-variance biases \(logvar)")
            }
        }
        vae.train()
        return (vae, origin.joined(separator: ", "))
    }

    /// Sets the log-variance half (the second `latent` channels) of each `quant_conv` bias, spatial and temporal.
    static func initialisePosteriorLogvar(_ vae: VideoVAE, to value: Float) throws {
        var updates = [String: Tensor]()
        for (name, bias) in vae.namedParameters() where name.hasSuffix(".bias") && name.contains("quant_conv") && !name.contains("post_quant_conv") {
            let half = bias.dim(0) / 2
            updates[name] = Tensor.concatenate([bias[0..<half], Tensor.full([half], value: value, dtype: bias.dtype)], axis: 0)
        }
        guard updates.count == 2 else {
            throw ConfigError.invalidValue(path: "model.posterior_logvar_init", value: "\(value)",
                                           accepted: "a pipeline with one spatial and one temporal quant_conv (found \(updates.count))")
        }
        try vae.update(parameters: updates)
    }

    /// The size `model.type` names (the diffusion types belong to `opensora train`); the tiny pipeline takes its
    /// parts' sizes from `model.vae_2d` / `model.vae_temporal` where they give them.
    static func videoConfig(_ model: TrainingConfig.Model) throws -> VideoVAEConfig {
        switch model.type {
        case .videoAutoencoderPipeline:
            if model.vae2D?.setsSize == true || model.vaeTemporal?.setsSize == true {
                throw ConfigError.invalidValue(path: "model.vae_2d / model.vae_temporal", value: "size keys",
                                               accepted: "sizes only with model.type VideoAutoencoderPipeline-tiny (v1.2's are fixed)")
            }
            return .v1_2
        case .videoAutoencoderPipelineTiny:
            var c = VideoVAEConfig.tiny
            if let p = model.vae2D {
                if let v = p.blockOutChannels { c.spatial.blockOutChannels = v }
                if let v = p.layersPerBlock { c.spatial.layersPerBlock = v }
                if let v = p.normNumGroups { c.spatial.normGroups = v }
            }
            if let p = model.vaeTemporal {
                if let v = p.filters { c.temporal.filters = v }
                if let v = p.numResBlocks { c.temporal.resBlockCount = v }
                if let v = p.channelMultipliers { c.temporal.channelMultipliers = v }
                if let v = p.numGroups { c.temporal.groups = v }
            }
            try c.spatial.validate()
            try c.temporal.validate()
            return c
        case .stdit3XL2, .stdit3Tiny:
            throw TrainingError.wrongTrainer(config: "model.type \(model.type.rawValue)", expected: .vae, found: .diffusion)
        }
    }

    /// `path` when it exists; with `checkpoint`, an experiment folder stands for its newest checkpoint. A hub name
    /// (the presets' `PixArt-alpha/…`) is not downloaded: the error says to give a local copy.
    static func existing(_ path: String, key: String, checkpoint: Bool) throws -> String {
        if checkpoint, let folder = TrainingCheckpoint.resolve(path) { return folder }
        guard FileManager.default.fileExists(atPath: path) else {
            throw TrainingError.missingWeights(key: key, reason: "'\(path)' is not a local file or folder (nothing is downloaded); "
                                               + "give the weights' path, or null to start from the seed")
        }
        return path
    }
}
