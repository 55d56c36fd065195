// Reference: configs/opensora-v1-2/train/*.py (mask_ratios); spec/training.md §8.

/// `mask_ratios` in a run config: type → probability in the order written (the generator walks it in
/// that order), read into the generator's own `MaskRatios`; errors name the key path.
extension MaskRatios: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        let path = decoder.configKeyPath
        var entries = [(type: MaskType, ratio: Double)]()
        for key in c.allKeys {
            let names = MaskType.allCases.map(\.rawValue)
            guard let type = MaskType(rawValue: key.stringValue) else {
                throw ConfigError.unknownKey(path: configPath(decoder.codingPath + [key]), accepted: names,
                                             hint: ConfigSpelling.closest(to: key.stringValue, in: names))
            }
            entries.append((type, try c.decode(Double.self, forKey: key)))
        }
        do { try self.init(entries) } catch let error as MaskGeneratorError {
            throw ConfigError.invalidValue(path: path, value: "\(entries.map { "\($0.type.rawValue): \($0.ratio)" })",
                                           accepted: "\(error)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: ConfigKey.self)
        for (type, ratio) in entries { try c.encode(ratio, forKey: ConfigKey(type.rawValue)) }
    }
}
