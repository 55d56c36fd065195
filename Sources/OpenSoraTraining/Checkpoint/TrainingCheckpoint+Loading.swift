// Reference: train.py@v1.2.0 `--load DIR` (model, optimizer, EMA, sampler, running_states); spec/training.md §10.2.
// Loading checks the manifest first, so a truncated or altered file is named before anything is restored.
import Foundation
import MLXTensor

/// A checkpoint read back, with the paths of its state files (AdamW/EMA restore from a path).
public struct LoadedCheckpoint {
    public let folder: String
    public let manifest: CheckpointManifest
    public let checkpoint: TrainingCheckpoint

    public var name: CheckpointName { checkpoint.progress.checkpointName }

    public func path(_ file: TrainingCheckpoint.File) -> String? {
        manifest.entry(file.rawValue) == nil ? nil : (folder as NSString).appendingPathComponent(file.rawValue)
    }
}

extension TrainingCheckpoint {
    /// Verifies `folder` against its manifest, then reads every part.
    public static func load(from folder: String) throws -> LoadedCheckpoint {
        let name = (folder as NSString).lastPathComponent
        let manifest = try CheckpointManifest(verifying: folder)
        func path(_ f: File) -> String? { manifest.entry(f.rawValue) == nil ? nil : (folder as NSString).appendingPathComponent(f.rawValue) }
        func required(_ f: File) throws -> String {
            guard let p = path(f) else { throw TrainingCheckpointError.missingFile(checkpoint: name, file: f.rawValue) }
            return p
        }
        func decode<T: Decodable>(_ type: T.Type, _ f: File) throws -> T {
            let p = try required(f)
            guard let data = FileManager.default.contents(atPath: p) else { throw TrainingCheckpointError.unreadable(path: p) }
            do { return try JSONDecoder().decode(T.self, from: data) } catch {
                throw TrainingCheckpointError.badContent(checkpoint: name, file: f.rawValue, reason: "\(error)")
            }
        }
        func tensors(_ f: File) throws -> SafetensorsFile {
            do { return try Safetensors.load(required(f)) } catch let e as TrainingCheckpointError { throw e } catch {
                throw TrainingCheckpointError.badContent(checkpoint: name, file: f.rawValue, reason: "\(error)")
            }
        }
        let configPath = try required(.config)
        let config: TrainingConfig
        do { config = try TrainingConfig(file: configPath) } catch {
            throw TrainingCheckpointError.badContent(checkpoint: name, file: File.config.rawValue, reason: "\(error)")
        }
        let checkpoint = TrainingCheckpoint(
            progress: try decode(TrainingProgress.self, .progress), model: try tensors(.model),
            ema: path(.ema) == nil ? nil : try tensors(.ema), optimizer: path(.optimizer) == nil ? nil : try tensors(.optimizer),
            sampler: path(.sampler) == nil ? nil : try decode(BatchSamplerState.self, .sampler),
            rng: try decode(RNGStates.self, .rng), config: config,
            modelConfig: try path(.modelConfig).map { p in
                guard let data = FileManager.default.contents(atPath: p) else { throw TrainingCheckpointError.unreadable(path: p) }
                return data
            },
            discriminator: path(.discriminator) == nil ? nil
                : DiscriminatorState(model: try tensors(.discriminator), optimizer: try tensors(.discriminatorOptimizer)))
        guard checkpoint.progress.checkpointName.description == name || CheckpointName(name) == nil else {
            throw TrainingCheckpointError.badContent(checkpoint: name, file: File.progress.rawValue,
                                             reason: "says \(checkpoint.progress.checkpointName), the folder's name differs")
        }
        return LoadedCheckpoint(folder: folder, manifest: manifest, checkpoint: checkpoint)
    }

    /// Folders of `experiment` named epoch{E}-global_step{S}, oldest first (temporary folders start with ".").
    static func namedFolders(in experiment: String) -> [(name: CheckpointName, path: String)] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: experiment)) ?? []
        return entries.compactMap { entry in
            CheckpointName(entry).map { ($0, (experiment as NSString).appendingPathComponent(entry)) }
        }.sorted { $0.name < $1.name }
    }

    /// `path` when it is a checkpoint folder (it has a manifest), else the newest complete checkpoint inside it (an
    /// experiment folder), else nil: what `--resume` and a previous stage's `from_pretrained` accept.
    public static func resolve(_ path: String) -> String? { isFolder(path) ? path : latest(in: path) }

    /// Whether `path` is a folder written by the trainers (it has a checkpoint manifest).
    public static func isFolder(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(CheckpointManifest.fileName))
    }

    /// The newest checkpoint of `experiment` whose manifest verifies; half-written, temporary or corrupt ones are skipped.
    public static func latest(in experiment: String) -> String? {
        namedFolders(in: experiment).reversed().first { (try? CheckpointManifest(verifying: $0.path)) != nil }?.path
    }

    /// Deletes every named folder older than the newest `keepLast` ones that have a manifest; each goes by a rename
    /// to a temporary name first, so no half-deleted folder keeps a checkpoint's name.
    static func prune(_ experiment: String, keepLast: Int) throws {
        let folders = namedFolders(in: experiment)
        let complete = folders.filter {
            FileManager.default.fileExists(atPath: ($0.path as NSString).appendingPathComponent(CheckpointManifest.fileName))
        }
        guard complete.count > keepLast, let oldestKept = complete.suffix(keepLast).first?.name else { return }
        for (name, path) in folders where name < oldestKept {
            let aside = (experiment as NSString).appendingPathComponent(".\(name).deleting-\(UUID().uuidString)")
            try FileManager.default.moveItem(atPath: path, toPath: aside)
            try FileManager.default.removeItem(atPath: aside)
        }
    }
}
