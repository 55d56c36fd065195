// Reference: configs/opensora-v1-2/train/*.py@v1.2.0 (`bucket_config = {"144p": {1: (1.0, 475), ...}}`) and the
// fixture's JSON form (`"144p": [[1, 1.0, 475], ...]`); spec/training.md §4.1.
import OpenSora

extension BucketConfig {
    /// Parses a bucket config written as JSON or as the reference's Python dict literal.
    public init(parsing text: String) throws {
        try self.init(literal: ConfigLiteral(parsing: text))
    }

    /// Each resolution maps either to `{num_frames: (keep, batch_size)}` (the reference's dict) or to
    /// `[[num_frames, keep, batch_size], ...]` (the fixture's list); `keep` is a number or `(res, frames)`.
    public init(literal: ConfigLiteral) throws {
        guard let object = literal.objectValue else {
            throw BucketError.malformed(path: "bucket_config", found: literal.literalText, expected: "an object of resolutions")
        }
        var out = [ResolutionBuckets]()
        for (name, value) in object {
            guard let resolution = Resolution(rawValue: name) else {
                throw BucketError.unknownResolution(name, accepted: ResolutionTable.resolutionNames)
            }
            let path = "bucket_config[\"\(name)\"]"
            out.append(ResolutionBuckets(resolution: resolution, frames: try Self.frames(value, path: path, resolution: name)))
        }
        try self.init(out)
    }

    private static func frames(_ value: ConfigLiteral, path: String, resolution: String) throws -> [FrameBucket] {
        if let object = value.objectValue {
            return try object.map { key, entry in
                guard let t = ConfigLiteral.number(key).intValue else { throw BucketError.invalidFrameCount(resolution: resolution, key: key) }
                guard let pair = entry.listValue, pair.count == 2 else {
                    throw BucketError.malformed(path: "\(path)[\(key)]", found: entry.literalText, expected: "(keep_prob, batch_size)")
                }
                return try frameBucket(t, pair[0], pair[1], path: "\(path)[\(key)]", resolution: resolution)
            }
        }
        guard let list = value.listValue else {
            throw BucketError.malformed(path: path, found: value.literalText, expected: "{num_frames: (keep_prob, batch_size)} or [[num_frames, keep_prob, batch_size]]")
        }
        return try list.enumerated().map { i, entry in
            guard let triple = entry.listValue, triple.count == 3 else {
                throw BucketError.malformed(path: "\(path)[\(i)]", found: entry.literalText, expected: "[num_frames, keep_prob, batch_size]")
            }
            guard let t = triple[0].intValue else {
                throw BucketError.invalidFrameCount(resolution: resolution, key: triple[0].literalText)
            }
            return try frameBucket(t, triple[1], triple[2], path: "\(path)[\(t)]", resolution: resolution)
        }
    }

    private static func frameBucket(_ t: Int, _ keep: ConfigLiteral, _ batch: ConfigLiteral, path: String,
                                    resolution: String) throws -> FrameBucket {
        let probability: KeepProbability
        if let p = keep.doubleValue {
            probability = .single(p)
        } else if let pair = keep.listValue, pair.count == 2, let r = pair[0].doubleValue, let f = pair[1].doubleValue {
            probability = .split(resolution: r, frames: f)
        } else {
            throw BucketError.malformed(path: path, found: keep.literalText, expected: "a keep probability or (res_keep, frames_keep)")
        }
        if batch.isNull { return FrameBucket(frameCount: t, keep: probability, batchSize: nil) }
        guard let bs = batch.intValue else {
            throw BucketError.invalidBatchSize(resolution: resolution, frameCount: t, value: batch.literalText)
        }
        return FrameBucket(frameCount: t, keep: probability, batchSize: bs)
    }
}
