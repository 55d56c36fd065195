// Reference: Hugging Face `save_pretrained` layouts (model.safetensors[.index.json],
// pytorch_model.bin[.index.json], diffusers' diffusion_pytorch_model.*).
import Foundation
import MLXTensor

/// The one place that knows where a checkpoint's tensors are, for every model: a weight file, or a
/// folder as downloaded from Hugging Face (single file or shards listed by an index's weight_map).
public enum CheckpointFiles {
    public enum Format: Sendable, Equatable { case safetensors, torch }

    public struct WeightFile: Equatable, Sendable {
        public let path: String
        public let format: Format
    }

    /// Folder contents in the order they are preferred: safetensors before PyTorch, an index before a file.
    public static let folderForms: [(name: String, format: Format, isIndex: Bool)] = [
        ("model.safetensors.index.json", .safetensors, true), ("diffusion_pytorch_model.safetensors.index.json", .safetensors, true),
        ("model.safetensors", .safetensors, false), ("diffusion_pytorch_model.safetensors", .safetensors, false),
        ("pytorch_model.bin.index.json", .torch, true), ("diffusion_pytorch_model.bin.index.json", .torch, true),
        ("pytorch_model.bin", .torch, false), ("diffusion_pytorch_model.bin", .torch, false),
    ]

    public static let accepted = "a .safetensors or PyTorch .bin file, or a folder holding one of "
        + folderForms.map(\.name).joined(separator: ", ")

    /// The weight files behind `path`, in shard order.
    public static func resolve(_ path: String) throws -> [WeightFile] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CheckpointError.notFound(path: path, accepted: accepted)
        }
        guard isFolder.boolValue else { return [WeightFile(path: path, format: format(ofFile: path))] }
        let folder = URL(fileURLWithPath: path)
        for form in folderForms {
            let file = folder.appendingPathComponent(form.name).path
            guard FileManager.default.fileExists(atPath: file) else { continue }
            guard form.isIndex else { return [WeightFile(path: file, format: form.format)] }
            return try shardNames(index: file).map { shard in
                let shardPath = folder.appendingPathComponent(shard).path
                guard FileManager.default.fileExists(atPath: shardPath) else {
                    throw TensorError.badFile(path: file, reason: "names shard \(shard), which is not in \(path)")
                }
                return WeightFile(path: shardPath, format: form.format)
            }
        }
        throw CheckpointError.notFound(path: path, accepted: accepted)
    }

    /// `.safetensors` by name, `.bin`/`.pt`/`.pth` or a zip signature as PyTorch, else safetensors.
    static func format(ofFile path: String) -> Format {
        let ext = (path as NSString).pathExtension.lowercased()
        if ext == "safetensors" { return .safetensors }
        if ["bin", "pt", "pth"].contains(ext) { return .torch }
        let magic = FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 4) }
        return magic == Data([0x50, 0x4B, 0x03, 0x04]) ? .torch : .safetensors
    }

    /// Every tensor of the checkpoint, by name. `readTorch` reads a PyTorch file (OpenSora passes its
    /// TorchCheckpoint reader; without one a `.bin` checkpoint is an error naming the file).
    public static func tensors(at path: String, readTorch: ((String) throws -> [String: Tensor])? = nil) throws -> [String: Tensor] {
        var result = [String: Tensor]()
        for file in try resolve(path) {
            let tensors: [String: Tensor]
            switch file.format {
            case .safetensors: tensors = try Tensor.load(safetensors: file.path)
            case .torch:
                guard let readTorch else {
                    throw TensorError.badFile(path: file.path, reason: "is a PyTorch checkpoint; load it through OpenSora's ModelFolder.tensors")
                }
                tensors = try readTorch(file.path)
            }
            result.merge(tensors) { first, _ in first }
        }
        return result
    }

    /// The distinct shard files an index's `weight_map` names, sorted.
    public static func shardNames(index path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TensorError.badFile(path: path, reason: "cannot read the index")
        }
        return try CheckpointIndex.shardNames(data, path: path)
    }
}
