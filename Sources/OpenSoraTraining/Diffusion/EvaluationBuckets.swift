// Reference: configs/opensora-v1-2/misc/eval_loss.py@v1.2.0 (`bucket_config`: only the batch sizes are read);
// spec/evaluation.md §1.2.
import OpenSora

extension BucketConfig {
    /// eval_loss.py's table: image and 2 s … 16 s at 144p … 2048, the batch size of each (keep is ignored).
    public static let evaluationLoss: BucketConfig = {
        let table: [(String, [(Int, Int)])] = [
            ("144p", [(1, 100), (51, 30), (102, 20), (204, 8), (408, 4)]),
            ("240p", [(1, 100), (51, 24), (102, 12), (204, 4), (408, 2)]),
            ("360p", [(1, 60), (51, 12), (102, 6), (204, 2), (408, 1)]),
            ("480p", [(1, 40), (51, 6), (102, 3), (204, 1)]),
            ("720p", [(1, 20), (51, 2), (102, 1)]),
            ("1080p", [(1, 10)]),
            ("2048", [(1, 5)]),
        ]
        return BucketConfig(checked: table.compactMap { name, rows in
            Resolution(rawValue: name).map { r in
                ResolutionBuckets(resolution: r, frames: rows.map { FrameBucket(frameCount: $0.0, keep: .single(1), batchSize: $0.1) })
            }
        })
    }()

    /// Each (resolution, frame count) entry with a batch size as its own one-bucket config, in table order.
    public var evaluationEntries: [(resolution: Resolution, frameCount: Int, batchSize: Int, config: BucketConfig)] {
        resolutions.flatMap { r in
            r.frames.compactMap { f -> (Resolution, Int, Int, BucketConfig)? in
                guard let bs = f.batchSize else { return nil }
                let only = FrameBucket(frameCount: f.frameCount, keep: .single(1), batchSize: bs)
                return (r.resolution, f.frameCount, bs, BucketConfig(checked: [ResolutionBuckets(resolution: r.resolution, frames: [only])]))
            }
        }
    }
}
