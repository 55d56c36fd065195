import ArgumentParser
import OpenSora

/// Which weights to load and how to compute; shared by `generate` and the commands that load models.
struct ModelOptions: ParsableArguments {
    @Option(help: "Folder with the official OpenSora-STDiT-v3, OpenSora-VAE-v1.2 and t5-v1_1-xxl checkpoints.")
    var modelDir: String?

    @Option(help: "Compute dtype: float32 (CPU), bfloat16/float16 (GPU only).")
    var dtype = ComputeType.float32

    @Option(help: "When the text encoder is released: releaseAfterEncoding (frees T5's memory) or keepLoaded.")
    var textEncoder = TextEncoderPolicy.releaseAfterEncoding

    /// The models named, or the tiny random-weight preset without `--model-dir`.
    func container() throws -> ModelContainer {
        let models = try modelDir.map { try ModelBundle.official(directory: $0, dtype: try dtype.dtype()) } ?? ModelBundle.tinyRandom()
        return ModelContainer(models: models, policy: textEncoder)
    }
}
