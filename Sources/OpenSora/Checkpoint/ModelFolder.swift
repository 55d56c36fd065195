// Reference: Hugging Face `save_pretrained` layouts (model.safetensors[.index.json],
// pytorch_model.bin[.index.json]); shared/fixtures/parity/README.md ("Hugging Face checkpoint files").
import Foundation
import MLXTensor
import NN

/// The weights of a model folder as downloaded from Hugging Face: safetensors (single or sharded by
/// an index's weight_map) preferred, else PyTorch `.bin` (single or sharded), read without Python.
public enum ModelFolder {
    public static let acceptedWeights = "model.safetensors, model.safetensors.index.json, pytorch_model.bin or pytorch_model.bin.index.json"

    /// Every tensor of the folder (or of a single weight file), by name.
    public static func tensors(at path: String) throws -> [String: Tensor] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CheckpointError.notFound(path: path, accepted: acceptedWeights)
        }
        if !isDirectory.boolValue {
            return path.hasSuffix(".safetensors") ? try Tensor.load(safetensors: path) : try TorchCheckpoint.load(path)
        }
        let folder = URL(fileURLWithPath: path)
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) }
        if exists("model.safetensors.index.json") || exists("model.safetensors") || exists("diffusion_pytorch_model.safetensors") {
            return try CheckpointFiles.tensors(at: path)
        }
        if exists("pytorch_model.bin.index.json") {
            var result = [String: Tensor]()
            for shard in try CheckpointFiles.shardNames(index: folder.appendingPathComponent("pytorch_model.bin.index.json").path) {
                result.merge(try TorchCheckpoint.load(folder.appendingPathComponent(shard).path)) { a, _ in a }
            }
            return result
        }
        if exists("pytorch_model.bin") { return try TorchCheckpoint.load(folder.appendingPathComponent("pytorch_model.bin").path) }
        throw CheckpointError.notFound(path: path, accepted: acceptedWeights)
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
