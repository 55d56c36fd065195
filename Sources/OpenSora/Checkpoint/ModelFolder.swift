// Reference: Hugging Face `save_pretrained` layouts (model.safetensors[.index.json],
// pytorch_model.bin[.index.json]); shared/fixtures/parity/README.md ("Hugging Face checkpoint files").
import Foundation
import MLXTensor
import NN

/// The weights of a model folder as downloaded from Hugging Face, for every model (STDiT3, VAE, T5):
/// `CheckpointFiles` finds the files, safetensors are read by MLX and PyTorch `.bin` natively.
public enum ModelFolder {
    public static let acceptedWeights = CheckpointFiles.accepted

    /// Every tensor of the folder (or of a single weight file), by name.
    public static func tensors(at path: String) throws -> [String: Tensor] {
        try CheckpointFiles.tensors(at: path, readTorch: TorchCheckpoint.load)
    }

    /// A JSON config file decoded over `T`'s defaults (a clear error naming the file otherwise).
    public static func config<T: ModelConfig>(_ type: T.Type, at path: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointError.notFound(path: path, accepted: "a config.json file")
        }
        do { return try T.decode(json: data) } catch {
            throw OpenSoraError.invalidConfiguration("\(path): not a valid \(T.self) (\(error))")
        }
    }
}
