// Reference: `bucket_config` of configs/opensora-v1-2/train/*.py@v1.2.0, written in YAML as
// `"144p": {1: [1.0, 475], 102: [[1.0, 0.33], 27]}` (tuples become lists); spec/training.md §4.1.

extension BucketConfig: Codable {
    /// Read through the bucket-config parser, so the checks and messages are the ones of `BucketConfig(literal:)`.
    public init(from decoder: Decoder) throws {
        let node = try decoder.singleValueContainer().decode(ConfigNode.self)
        try self.init(literal: node.literal)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: ConfigKey.self)
        for r in resolutions {
            var frames = c.nestedContainer(keyedBy: ConfigKey.self, forKey: ConfigKey(r.resolution.rawValue))
            for f in r.frames {
                var entry = frames.nestedUnkeyedContainer(forKey: ConfigKey("\(f.frameCount)"))
                switch f.keep {
                case .single(let p): try entry.encode(p)
                case .split(let res, let fr): try entry.encode([res, fr])
                }
                if let bs = f.batchSize { try entry.encode(bs) } else { try entry.encodeNil() }
            }
        }
    }
}
