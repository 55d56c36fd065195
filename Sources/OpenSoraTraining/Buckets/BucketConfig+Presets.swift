// Reference: configs/opensora-v1-2/train/{stage1,stage2,stage3,adapt}.py@v1.2.0 (`bucket_config`); spec/training.md §4.4.
// stage1's table is also misc/extract.py's and misc/feat.py's.
import OpenSora

extension BucketConfig {
    private typealias Row = (frames: Int, keep: KeepProbability, batchSize: Int?)

    private static func k(_ p: Double) -> KeepProbability { .single(p) }
    private static func k(_ r: Double, _ f: Double) -> KeepProbability { .split(resolution: r, frames: f) }

    /// Names come from the reference tables, so every one resolves (the preset tests check all ten).
    private static func preset(_ table: [(String, [Row])]) -> BucketConfig {
        BucketConfig(checked: table.compactMap { name, rows in
            Resolution(rawValue: name).map { r in
                ResolutionBuckets(resolution: r, frames: rows.map { FrameBucket(frameCount: $0.frames, keep: $0.keep, batchSize: $0.batchSize) })
            }
        })
    }

    /// Stage 1 (WebVid, "12s/it"): 626 buckets.
    public static let stage1 = preset([
        ("144p", [(1, k(1.0), 475), (51, k(1.0), 51), (102, k(1.0, 0.33), 27), (204, k(1.0, 0.1), 13), (408, k(1.0, 0.1), 6)]),
        ("256", [(1, k(0.4), 297), (51, k(0.5), 20), (102, k(0.5, 0.33), 10), (204, k(0.5, 0.1), 5), (408, k(0.5, 0.1), 2)]),
        ("240p", [(1, k(0.3), 297), (51, k(0.4), 20), (102, k(0.4, 0.33), 10), (204, k(0.4, 0.1), 5), (408, k(0.4, 0.1), 2)]),
        ("360p", [(1, k(0.2), 141), (51, k(0.15), 8), (102, k(0.15, 0.33), 4), (204, k(0.15, 0.1), 2), (408, k(0.15, 0.1), 1)]),
        ("512", [(1, k(0.1), 141)]),
        ("480p", [(1, k(0.1), 89)]),
        ("720p", [(1, k(0.05), 36)]),
        ("1024", [(1, k(0.05), 36)]),
        ("1080p", [(1, k(0.1), 5)]),
        ("2048", [(1, k(0.1), 5)]),
    ])

    /// Stage 2 (Panda-70M, "12s/it"): 894 buckets.
    public static let stage2 = preset([
        ("144p", [(1, k(1.0), 475), (51, k(1.0), 51), (102, k(1.0, 0.33), 27), (204, k(1.0, 0.1), 13), (408, k(1.0, 0.1), 6)]),
        ("256", [(1, k(0.4), 297), (51, k(0.5), 20), (102, k(0.5, 0.33), 10), (204, k(0.5, 1.0), 5), (408, k(0.5, 1.0), 2)]),
        ("240p", [(1, k(0.3), 297), (51, k(0.4), 20), (102, k(0.4, 0.33), 10), (204, k(0.4, 1.0), 5), (408, k(0.4, 1.0), 2)]),
        ("360p", [(1, k(0.5), 141), (51, k(0.15), 8), (102, k(0.3, 0.5), 4), (204, k(0.3, 1.0), 2), (408, k(0.5, 0.5), 1)]),
        ("512", [(1, k(0.4), 141), (51, k(0.15), 8), (102, k(0.2, 0.4), 4), (204, k(0.2, 1.0), 2), (408, k(0.4, 0.5), 1)]),
        ("480p", [(1, k(0.5), 89), (51, k(0.2), 5), (102, k(0.2), 2), (204, k(0.1), 1)]),
        ("720p", [(1, k(0.1), 36), (51, k(0.03), 1)]),
        ("1024", [(1, k(0.1), 36), (51, k(0.02), 1)]),
        ("1080p", [(1, k(0.01), 5)]),
        ("2048", [(1, k(0.01), 5)]),
    ])

    /// Stage 3 (high-quality mix, "20s/it"): 1025 buckets; `(0.0, None)` entries are sinks.
    public static let stage3 = preset([
        ("144p", [(1, k(1.0), 475), (51, k(1.0), 51), (102, k(1.0), 27), (204, k(1.0), 13), (408, k(1.0), 6)]),
        ("256", [(1, k(1.0), 297), (51, k(0.5), 20), (102, k(0.5), 10), (204, k(0.5), 5), (408, k(0.5, 0.5), 2)]),
        ("240p", [(1, k(1.0), 297), (51, k(0.5), 20), (102, k(0.5), 10), (204, k(0.5), 5), (408, k(0.5, 0.4), 2)]),
        ("360p", [(1, k(1.0), 141), (51, k(0.5), 8), (102, k(0.5), 4), (204, k(0.5), 2), (408, k(0.5, 0.3), 1)]),
        ("512", [(1, k(1.0), 141), (51, k(0.5), 8), (102, k(0.5), 4), (204, k(0.5), 2), (408, k(0.5, 0.2), 1)]),
        ("480p", [(1, k(1.0), 89), (51, k(0.5), 5), (102, k(0.5), 3), (204, k(0.5, 0.5), 1), (408, k(0.0), nil)]),
        ("720p", [(1, k(0.3), 36), (51, k(0.2), 2), (102, k(0.1), 1), (204, k(0.0), nil)]),
        ("1024", [(1, k(0.3), 36), (51, k(0.1), 2), (102, k(0.1), 1), (204, k(0.0), nil)]),
        ("1080p", [(1, k(0.1), 5)]),
        ("2048", [(1, k(0.05), 5)]),
    ])

    /// Adaptation (adapt.py, "2s/it"): 666 buckets.
    public static let adapt = preset([
        ("144p", [(1, k(0.5), 48), (34, k(1.0), 2), (51, k(1.0), 4), (102, k(1.0), 2), (204, k(1.0), 1)]),
        ("256", [(1, k(0.6), 20), (34, k(0.5), 2), (51, k(0.5), 1), (68, k(0.5), 1), (136, k(0.0), nil)]),
        ("240p", [(1, k(0.6), 20), (34, k(0.5), 2), (51, k(0.5), 1), (68, k(0.5), 1), (136, k(0.0), nil)]),
        ("360p", [(1, k(0.5), 8), (34, k(0.2), 1), (102, k(0.0), nil)]),
        ("512", [(1, k(0.5), 8), (34, k(0.2), 1), (102, k(0.0), nil)]),
        ("480p", [(1, k(0.2), 4), (17, k(0.3), 1), (68, k(0.0), nil)]),
        ("720p", [(1, k(0.1), 2)]),
        ("1024", [(1, k(0.1), 2)]),
        ("1080p", [(1, k(0.1), 1)]),
    ])

    /// The presets by their config file's stem.
    public static let presets: [(name: String, config: BucketConfig)] = [
        ("stage1", stage1), ("stage2", stage2), ("stage3", stage3), ("adapt", adapt),
    ]
}
