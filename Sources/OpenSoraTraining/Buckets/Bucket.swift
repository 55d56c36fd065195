// Reference: opensora/datasets/bucket.py@v1.2.0 (Bucket.__init__, get_thw, get_prob, get_batch_size, __len__);
// spec/training.md §4.2.
import OpenSora

/// The buckets a config defines: resolutions by descending nominal pixel count (ties keep the config's
/// order, as Python's stable `sorted(..., reverse=True)`), frame counts descending within each, one
/// running index per (resolution, frame count), and one bucket per aspect-ratio key of the resolution.
public struct Bucket: Sendable {
    /// One resolution with its frame buckets in lookup order.
    struct Level: Sendable {
        var resolution: Resolution
        var pixelCount: Int
        var frames: [(entry: BucketConfig.FrameBucket, index: Int)]
        var aspectRatios: [(key: String, size: VideoSize)]

        func frame(_ count: Int) -> (entry: BucketConfig.FrameBucket, index: Int)? {
            frames.first { $0.entry.frameCount == count }
        }
    }

    public let config: BucketConfig
    let levels: [Level]

    public init(_ config: BucketConfig) throws {
        self.config = config
        var sized = [(order: Int, pixels: Int, buckets: BucketConfig.ResolutionBuckets)]()
        for (order, r) in config.resolutions.enumerated() {
            sized.append((order, try ResolutionTable.pixelCount(r.resolution.rawValue), r))
        }
        sized.sort { $0.pixels != $1.pixels ? $0.pixels > $1.pixels : $0.order < $1.order }
        var next = 0, levels = [Level]()
        for s in sized {
            let frames = s.buckets.frames.sorted { $0.frameCount > $1.frameCount }.map { entry in
                defer { next += 1 }
                return (entry: entry, index: next)
            }
            levels.append(Level(resolution: s.buckets.resolution, pixelCount: s.pixels, frames: frames,
                                aspectRatios: try ResolutionTable.rows(s.buckets.resolution.rawValue)))
        }
        self.levels = levels
    }

    /// Resolutions in lookup order (descending nominal pixels).
    public var resolutionOrder: [Resolution] { levels.map(\.resolution) }

    /// `num_bucket`: Σ over (resolution, frame count) of the resolution's aspect-ratio keys.
    public var bucketCount: Int { levels.reduce(0) { $0 + $1.frames.count * $1.aspectRatios.count } }

    /// `hw_criteria`: each resolution's nominal pixel count, in lookup order.
    public var pixelCriteria: [(resolution: Resolution, pixels: Int)] { levels.map { ($0.resolution, $0.pixelCount) } }

    /// `bucket_id`: the running index of every (resolution, frame count), in lookup order.
    public var frameBucketIndices: [(resolution: Resolution, frameCount: Int, index: Int)] {
        levels.flatMap { level in level.frames.map { (level.resolution, $0.entry.frameCount, $0.index) } }
    }

    /// The number of aspect-ratio keys of each resolution, in lookup order.
    public var aspectRatioKeyCounts: [(resolution: Resolution, count: Int)] { levels.map { ($0.resolution, $0.aspectRatios.count) } }

    /// The running index of (resolution, frame count), or nil when the config has no such entry.
    public func index(resolution: Resolution, frameCount: Int) -> Int? {
        level(resolution)?.frame(frameCount)?.index
    }

    /// `get_thw`: the bucket's frame count and its table size (H, W).
    public func shape(_ id: BucketID) throws -> BucketShape {
        guard let level = level(id.resolution), level.frame(id.frameCount) != nil,
              let row = level.aspectRatios.first(where: { $0.key == id.aspectRatioKey })
        else { throw BucketError.unknownBucket(id) }
        return BucketShape(frameCount: id.frameCount, size: row.size)
    }

    /// `get_batch_size` (nil for a `None` sink).
    public func batchSize(_ id: BucketID) throws -> Int? {
        try entry(id).batchSize
    }

    /// `get_prob`.
    public func keepProbability(_ id: BucketID) throws -> KeepProbability {
        try entry(id).keep
    }

    func entry(_ id: BucketID) throws -> BucketConfig.FrameBucket {
        guard let level = level(id.resolution), let f = level.frame(id.frameCount),
              level.aspectRatios.contains(where: { $0.key == id.aspectRatioKey })
        else { throw BucketError.unknownBucket(id) }
        return f.entry
    }

    func level(_ resolution: Resolution) -> Level? {
        levels.first { $0.resolution == resolution }
    }
}
