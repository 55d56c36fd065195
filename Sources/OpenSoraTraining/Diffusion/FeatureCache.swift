// Reference: scripts/misc/extract_feat.py@v1.2.0 (VAE latents and T5 features of every sampler batch, `bin_size`
// batches per file) and BatchFeatureDataset (the trainer reads one file at a time); spec/training.md §12. Ours:
// safetensors shards of whole batches plus an index written last, and the raw T5 features (not the caption
// embedder's packed output), so dropout and `freeze_y_embedder` act as when training from video.
import Foundation
import MLXTensor

/// A folder of precomputed `DiffusionBatch`es: `shard-NNNNN.safetensors` files and `index.json`.
public struct FeatureCache {
    public static let indexName = "index.json"
    public static let format = "opensora.features.v1"

    struct Index: Codable {
        var format: String
        var batches: Int
        var shards: [Shard]
        struct Shard: Codable {
            var file: String
            var batches: Int
        }
    }

    public let folder: String
    let index: Index
    /// The shard read last (the trainer walks batches in order, so one shard is held at a time).
    private var loaded: (shard: Int, file: SafetensorsFile)?

    public var batchCount: Int { index.batches }

    public init(folder: String) throws {
        let path = (folder as NSString).appendingPathComponent(Self.indexName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError.featureCache(path: folder, reason: "no \(Self.indexName): not a feature cache written by `opensora train extract`, or an unfinished one")
        }
        do { index = try JSONDecoder().decode(Index.self, from: data) } catch {
            throw DatasetError.featureCache(path: path, reason: "unreadable index (\(error))")
        }
        guard index.format == Self.format, index.batches == index.shards.reduce(0, { $0 + $1.batches }) else {
            throw DatasetError.featureCache(path: path, reason: "format '\(index.format)' or batch count does not match; accepted: \(Self.format)")
        }
        self.folder = folder
    }

    /// Batch `i` (0-based, in extraction order).
    public mutating func batch(_ i: Int) throws -> DiffusionBatch {
        guard i >= 0, i < index.batches else {
            throw DatasetError.featureCache(path: folder, reason: "batch \(i) of \(index.batches)")
        }
        var offset = i, shard = 0
        while offset >= index.shards[shard].batches { offset -= index.shards[shard].batches; shard += 1 }
        if loaded?.shard != shard {
            let path = (folder as NSString).appendingPathComponent(index.shards[shard].file)
            loaded = (shard, try Safetensors.load(path))
        }
        let file = loaded!.file
        func tensor(_ name: String) throws -> Tensor {
            guard let t = file.tensors["\(offset).\(name)"] else {
                throw DatasetError.featureCache(path: index.shards[shard].file, reason: "no tensor \(offset).\(name)")
            }
            return t
        }
        return DiffusionBatch(latents: try tensor("latents"), caption: try tensor("caption"), captionMask: try tensor("caption_mask"),
                              fps: try tensor("fps").toArray(), heights: try tensor("height").toArray(),
                              widths: try tensor("width").toArray(), numFrames: try tensor("num_frames").toArray())
    }

    /// Writes batches into `folder`, `batchesPerShard` per file (each written atomically); `finish()` writes the index,
    /// so a cache is only readable once complete.
    public final class Writer {
        public let folder: String
        public let batchesPerShard: Int
        private var pending = [String: Tensor](), pendingCount = 0
        private var shards = [Index.Shard](), total = 0

        public init(folder: String, batchesPerShard: Int = 64) throws {
            guard batchesPerShard >= 1 else {
                throw DatasetError.featureCache(path: folder, reason: "batches per shard \(batchesPerShard); accepted: ≥ 1")
            }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(FeatureCache.indexName))
            (self.folder, self.batchesPerShard) = (folder, batchesPerShard)
        }

        public func append(_ batch: DiffusionBatch) throws {
            let i = pendingCount
            pending["\(i).latents"] = batch.latents
            pending["\(i).caption"] = batch.caption
            pending["\(i).caption_mask"] = batch.captionMask
            pending["\(i).fps"] = Tensor(batch.fps)
            pending["\(i).height"] = Tensor(batch.heights)
            pending["\(i).width"] = Tensor(batch.widths)
            pending["\(i).num_frames"] = Tensor(batch.numFrames)
            pendingCount += 1
            if pendingCount == batchesPerShard { try flush() }
        }

        private func flush() throws {
            guard pendingCount > 0 else { return }
            let name = String(format: "shard-%05d.safetensors", shards.count)
            try Safetensors.save(SafetensorsFile(tensors: pending, metadata: ["format": FeatureCache.format]),
                                 to: (folder as NSString).appendingPathComponent(name))
            shards.append(.init(file: name, batches: pendingCount))
            total += pendingCount
            (pending, pendingCount) = ([:], 0)
        }

        /// Flushes the last shard and writes the index; returns the number of batches.
        @discardableResult
        public func finish() throws -> Int {
            try flush()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(encoder.encode(Index(format: FeatureCache.format, batches: total, shards: shards)),
                                 to: (folder as NSString).appendingPathComponent(FeatureCache.indexName), durable: true)
            return total
        }
    }
}
