import Foundation
import MLXTensor

/// A sharded checkpoint's index (`*.index.json`): its `weight_map` of tensor name → shard file.
/// Foundation only, so the fuzzer builds it alone.
public enum CheckpointIndex {
    /// The distinct shard file names, sorted. Each must be a plain file name: an index cannot point
    /// outside its own folder.
    public static func shardNames(_ data: Data, path: String) throws -> [String] {
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let map = json["weight_map"] as? [String: Any]
        else { throw TensorError.badFile(path: path, reason: "not a sharded checkpoint index (needs a weight_map object)") }
        var shards = Set<String>()
        for (tensor, value) in map {
            guard let shard = value as? String else {
                throw TensorError.badFile(path: path, reason: "weight_map entry '\(tensor)' is not a file name")
            }
            guard !shard.isEmpty, shard != ".", shard != "..", !shard.contains("/"), !shard.contains("\0") else {
                throw TensorError.badFile(path: path, reason: "weight_map entry '\(tensor)' names shard '\(shard)'; "
                    + "shards must be file names inside the index's folder")
            }
            shards.insert(shard)
        }
        return shards.sorted()
    }
}
