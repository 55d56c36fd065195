// Reference: train.py@v1.2.0 loads a checkpoint folder without any integrity check (a truncated shard fails
// deep inside torch.load or loads silently); here every file is checked against the manifest first.

/// A checkpoint that cannot be written or trusted; each case names the folder and the file.
public enum TrainingCheckpointError: Error, Equatable, CustomStringConvertible {
    case noCheckpoint(folder: String)
    /// A folder name that is not `epoch{E}-global_step{S}`.
    case badName(String)
    case missingManifest(checkpoint: String)
    case badManifest(checkpoint: String, reason: String)
    case missingFile(checkpoint: String, file: String)
    case sizeMismatch(checkpoint: String, file: String, expected: Int, found: Int)
    case checksumMismatch(checkpoint: String, file: String, expected: String, found: String)
    case badContent(checkpoint: String, file: String, reason: String)
    case unreadable(path: String)
    case invalidKeepCount(Int)

    public var description: String {
        switch self {
        case .noCheckpoint(let f): "\(f): no complete checkpoint (epoch{E}-global_step{S} with a valid manifest.json)"
        case .badName(let n): "'\(n)' is not a checkpoint name; expected epoch{E}-global_step{S}"
        case .missingManifest(let c): "\(c): manifest.json is missing (an incomplete checkpoint)"
        case .badManifest(let c, let r): "\(c)/manifest.json: \(r)"
        case .missingFile(let c, let f): "\(c): \(f) is listed in the manifest but missing"
        case .sizeMismatch(let c, let f, let e, let s): "\(c): \(f) has \(s) bytes, the manifest says \(e) (truncated or replaced)"
        case .checksumMismatch(let c, let f, let e, let s): "\(c): \(f) is corrupt (sha256 \(s), the manifest says \(e))"
        case .badContent(let c, let f, let r): "\(c): \(f): \(r)"
        case .unreadable(let p): "\(p): cannot be read"
        case .invalidKeepCount(let k): "keep count \(k): expected an integer ≥ 1"
        }
    }
}
