// Reference: Hugging Face openai/clip-vit-large-patch14 (config.json, model.safetensors,
// pytorch_model.bin); spec/tools.md §14 pitfall 7 (the weights are an external download).
import Foundation
import MLXTensor
import NN
import OpenSora

extension CLIPModel {
    /// What `--clip-path` accepts, for error messages.
    public static let acceptedFolder =
        "a Hugging Face CLIP folder (openai/clip-vit-large-patch14: config.json with model.safetensors or pytorch_model.bin, vocab.json, merges.txt)"

    /// The model of a Hugging Face folder (its `config.json`, else ViT-L/14), loaded strictly; a
    /// missing folder or weights throws `CheckpointError.notFound` naming the path.
    public static func load(folder: String) throws -> CLIPModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CheckpointError.notFound(path: folder, accepted: acceptedFolder)
        }
        let model = try CLIPModel(try CLIPConfig.load(folder: folder), key: RandomKey(seed: 0))
        let weights: [String: Tensor]
        do { weights = try ModelFolder.tensors(at: folder) } catch CheckpointError.notFound {
            throw CheckpointError.notFound(path: folder, accepted: acceptedFolder)
        }
        try model.loadWeights(from: referenceWeights(weights), strict: true)
        return model
    }

    /// Drops the `position_ids` buffers older transformers saved (they are `arange`, not weights).
    static func referenceWeights(_ weights: [String: Tensor]) -> [String: Tensor] {
        weights.filter { !$0.key.hasSuffix("embeddings.position_ids") }
    }
}
