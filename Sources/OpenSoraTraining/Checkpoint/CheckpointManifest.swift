// Ours (the reference writes none): `manifest.json`, the last file of a checkpoint, lists every other file
// with its size and SHA-256, so a folder without it is incomplete and a changed byte is caught on load.
import Foundation

/// The files of one checkpoint folder, with size and SHA-256.
public struct CheckpointManifest: Codable, Equatable, Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        public var path: String
        public var size: Int
        public var sha256: String
    }

    public static let fileName = "manifest.json"
    public static let currentFormat = "opensora.training-checkpoint.v1"

    public var format: String
    public var files: [Entry]

    /// Hashes `files` (paths relative to `folder`).
    public init(folder: String, files: [String]) throws {
        format = Self.currentFormat
        self.files = try files.sorted().map { name in
            let (sha, size) = try SHA256.file((folder as NSString).appendingPathComponent(name))
            return Entry(path: name, size: size, sha256: sha)
        }
    }

    /// Reads and checks the manifest of `folder`, then every file it lists (existence, size, SHA-256).
    public init(verifying folder: String) throws {
        let name = (folder as NSString).lastPathComponent
        let path = (folder as NSString).appendingPathComponent(Self.fileName)
        guard let data = FileManager.default.contents(atPath: path) else { throw TrainingCheckpointError.missingManifest(checkpoint: name) }
        do { self = try JSONDecoder().decode(CheckpointManifest.self, from: data) } catch {
            throw TrainingCheckpointError.badManifest(checkpoint: name, reason: "not a manifest (\(error))")
        }
        guard format == Self.currentFormat else {
            throw TrainingCheckpointError.badManifest(checkpoint: name, reason: "format '\(format)', expected '\(Self.currentFormat)'")
        }
        for entry in files {
            guard !entry.path.contains(".."), !entry.path.hasPrefix("/") else {
                throw TrainingCheckpointError.badManifest(checkpoint: name, reason: "path '\(entry.path)' leaves the folder")
            }
            let file = (folder as NSString).appendingPathComponent(entry.path)
            guard FileManager.default.fileExists(atPath: file) else { throw TrainingCheckpointError.missingFile(checkpoint: name, file: entry.path) }
            let (sha, size) = try SHA256.file(file)
            guard size == entry.size else {
                throw TrainingCheckpointError.sizeMismatch(checkpoint: name, file: entry.path, expected: entry.size, found: size)
            }
            guard sha == entry.sha256 else {
                throw TrainingCheckpointError.checksumMismatch(checkpoint: name, file: entry.path, expected: entry.sha256, found: sha)
            }
        }
    }

    public func entry(_ path: String) -> Entry? { files.first { $0.path == path } }
}
