import Foundation
import ArgumentParser
import OpenSora
import OpenSoraTraining

/// Which weights to load and how to compute; shared by `generate` and the commands that load models.
struct ModelOptions: ParsableArguments {
    @Option(help: "Folder with the official OpenSora-STDiT-v3, OpenSora-VAE-v1.2 and t5-v1_1-xxl checkpoints.")
    var modelDir: String?

    @Option(help: "Compute dtype: float32 (CPU), bfloat16/float16 (GPU only).")
    var dtype = ComputeType.float32

    @Option(help: "When the text encoder is released: releaseAfterEncoding (frees T5's memory) or keepLoaded.")
    var textEncoder = TextEncoderPolicy.releaseAfterEncoding

    @Option(help: ArgumentHelp("STDiT3 weights: a training checkpoint folder (its VAE and text encoder come with it) or released weights.",
                               valueName: "dir"))
    var ckptPath: String?

    @Option(help: ArgumentHelp("VAE weights: a train-vae checkpoint folder or OpenSora-VAE-v1.2.", valueName: "dir"))
    var vaePath: String?

    @Option(help: ArgumentHelp("A t5-v1_1-xxl folder.", valueName: "dir"))
    var t5Path: String?

    @Flag(help: "With a training checkpoint: generate with its EMA weights.")
    var useEMA = false

    /// The models named: a training checkpoint, released weights (each path, or `--model-dir`), or the embedded
    /// default model when nothing is named (the tiny random-weight preset in a checkout without its weights).
    func container() throws -> ModelContainer {
        ModelContainer(models: try bundle(), policy: textEncoder)
    }

    func bundle() throws -> ModelBundle {
        let type = try dtype.dtype()
        if let ckptPath, TrainingCheckpoint.isFolder(ckptPath) {
            return try ModelBundle.trainingCheckpoint(ckptPath, vaePath: vaePath, t5Path: t5Path, useEMA: useEMA, dtype: type)
        }
        if ckptPath != nil || vaePath != nil || t5Path != nil {
            func path(_ given: String?, _ names: [String], _ flag: String) throws -> String {
                if let given { return given }
                guard let modelDir else { throw ValidationError("\(flag) is needed with the other weight paths (or --model-dir)") }
                guard let found = names.map({ (modelDir as NSString).appendingPathComponent($0) })
                    .first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                    throw ValidationError("\(modelDir) has none of \(names.joined(separator: ", ")); give \(flag)")
                }
                return found
            }
            let stdit = try path(ckptPath, ["OpenSora-STDiT-v3", "STDiT-v3", "stdit3"], "--ckpt-path")
            let vae = try ModelBundle.videoVAE(at: try path(vaePath, ["OpenSora-VAE-v1.2", "VAE-v1.2", "vae"], "--vae-path"), dtype: type)
            let t5 = try path(t5Path, ["t5-v1_1-xxl", "t5"], "--t5-path")
            let denoiser = try ModelBundle.loadDenoiser(at: PretrainedDenoiserWeights.location(stdit), dtype: type)
            let textLength = denoiser.config.modelMaxLength  // 300 for the released model
            return ModelBundle(makeTextEncoder: { try TextEncoder(folder: t5, maxLength: textLength) }, denoiser: denoiser,
                               vae: vae, description: "weights \(stdit), \(vae.config == .v1_2 ? "VAE v1.2" : "trained VAE"), \(t5)")
        }
        if let modelDir { return try ModelBundle.official(directory: modelDir, dtype: type) }
        return DefaultModel.isAvailable ? try DefaultModel.bundle(dtype: type) : try ModelBundle.tinyRandom()
    }

    /// Whether no weights are named, so the embedded default model runs.
    var namesNoModel: Bool { modelDir == nil && ckptPath == nil && vaePath == nil && t5Path == nil }

    /// The sampling defaults of the model that will run: the generation_config.json of the default model, or of a
    /// `--ckpt-path` folder (an exported model); none for the others.
    func generationDefaults() throws -> GenerationDefaults? {
        if namesNoModel { return DefaultModel.isAvailable ? try DefaultModel.generationDefaults() : nil }
        return try ckptPath.flatMap { try GenerationDefaults.read(folder: $0) }
    }
}
