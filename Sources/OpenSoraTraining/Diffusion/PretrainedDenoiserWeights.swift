// Reference: opensora/utils/ckpt_utils.py@v1.2.0 `reparameter` via `load_checkpoint` (PixArt-Σ `.pth` → STDiT3):
// `blocks.*` → `spatial_blocks.*`, `pos_embed` dropped, `y_embedder.y_embedding` padded (last row repeated) or cut
// to model_max_length rows; `load_checkpoint` on a folder reads its `model/` subfolder (ColossalAI's sharded
// state dict); spec/training.md §10.2.
import Foundation
import MLXTensor
import NN
import OpenSora

/// Initial STDiT3 weights from another checkpoint: a released STDiT3 or training checkpoint as is, a PixArt one remapped.
public enum PretrainedDenoiserWeights {
    /// Where the weights of `path` are: a reference training checkpoint folder's `model/` subfolder, else `path`.
    public static func location(_ path: String) -> String {
        let sub = (path as NSString).appendingPathComponent("model")
        var isFolder: ObjCBool = false
        let isReferenceFolder = FileManager.default.fileExists(atPath: sub, isDirectory: &isFolder) && isFolder.boolValue
            && !TrainingCheckpoint.isFolder(path)
        return isReferenceFolder ? sub : path
    }

    /// The initial weights at `path` (any form `ModelFolder` reads, or a reference checkpoint folder), remapped.
    public static func load(_ path: String, for model: STDiT3) throws -> [String: Tensor] {
        try remapped(ModelFolder.tensors(at: location(path)), for: model)
    }

    public static func remapped(_ weights: [String: Tensor], for model: STDiT3) throws -> [String: Tensor] {
        var out = [String: Tensor]()
        for (key, t) in weights {
            if key == "pos_embed" { continue }
            out[key.hasPrefix("blocks.") ? "spatial_" + key : key] = t
        }
        if let y = out["y_embedder.y_embedding"], y.ndim == 2 {
            let rows = model.config.modelMaxLength
            if y.dim(0) > rows { out["y_embedder.y_embedding"] = y[0..<rows] }
            if y.dim(0) < rows {
                let last = y[(y.dim(0) - 1)..<y.dim(0)]
                out["y_embedder.y_embedding"] = Tensor.concatenate([y, last.tiled([rows - y.dim(0), 1])], axis: 0)
            }
        }
        return out
    }
}
