/// A subtree kept as written (the bucket table); only ConfigNodeDecoder hands one over.
extension ConfigNode: Decodable {
    public init(from decoder: Decoder) throws {
        guard let d = decoder as? ConfigNodeDecoder else {
            throw ConfigError.typeMismatch(path: decoder.configKeyPath, expected: "a config tree", found: "another decoder")
        }
        self = d.node
    }
}
