// Reference: config_utils.py@v1.2.0 (`read_config`, `merge_args`), MMEngine's `_base_` inheritance; spec/surfaces.md §1.
// Order: the defaults (train.py's cfg.get values), then `base:` (a preset or another file), then the file,
// then the `--set` overrides; the result is decoded strictly and validated.
import Foundation

extension TrainingConfig {
    /// Top-level keys that replace as a whole when a file sets them (a bucket table is one value).
    static let wholeValues: Set<String> = ["bucket_config", "mask_ratios"]
    static let maxBaseDepth = 8

    /// The presets shipped as YAML under Resources/Presets: the reference's stage files.
    public static let presetNames = ["stage1", "stage2", "stage3", "stage1_feat", "vae_stage1", "vae_stage2", "vae_stage3", "tiny"]

    /// A preset's YAML text (the committed file).
    public static func presetText(_ name: String) throws -> String {
        guard presetNames.contains(name),
              let url = Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Resources/Presets"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ConfigError.unknownPreset(name, accepted: presetNames)
        }
        return text
    }

    public static func preset(_ name: String, overrides: [ConfigOverride] = []) throws -> TrainingConfig {
        try TrainingConfig(yaml: presetText(name), source: "preset \(name)", overrides: overrides)
    }

    public init(file path: String, overrides: [ConfigOverride] = []) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError.invalidValue(path: "config", value: "'\(path)'", accepted: "a readable YAML file")
        }
        try self.init(yaml: text, source: path, overrides: overrides, baseDirectory: (path as NSString).deletingLastPathComponent)
    }

    /// Parses YAML text (with its `base:` chain) and applies `overrides`.
    public init(yaml text: String, source: String = "config", overrides: [ConfigOverride] = [], baseDirectory: String = ".") throws {
        let tree = try Self.resolvingBase(ConfigNode(yaml: text, source: source), baseDirectory: baseDirectory, chain: [source])
        try self.init(tree: tree.applying(overrides))
    }

    /// Decodes a tree laid over the defaults, strictly, then validates.
    public init(tree: ConfigNode) throws {
        guard tree == .null || tree.entries != nil else { throw ConfigError.typeMismatch(path: "", expected: "a mapping of keys", found: tree.summary) }
        var given = tree == .null ? ConfigNode.map([]) : tree
        for (key, defaults) in try Self.sectionDefaults() {
            if let section = given[key], section.entries != nil { given = try given.setting([key], to: defaults.merged(with: section)) }
        }
        let full = try ConfigNode.encoding(TrainingConfig()).merged(with: given, wholeValues: Self.wholeValues)
        do {
            self = try TrainingConfig(from: ConfigNodeDecoder(node: full, codingPath: []))
        } catch ConfigError.unknownKey(let path, let accepted, let hint) {
            throw ConfigError.unknownKey(path: path, accepted: accepted, hint: Self.movedKeys[path] ?? hint)
        } catch let error as DecodingError {
            throw ConfigError(error)
        }
        try validate()
    }

    /// Optional sections absent from the defaults: when a file gives one, its own defaults fill the keys it leaves out.
    static func sectionDefaults() throws -> [(String, ConfigNode)] {
        [("vae", try ConfigNode.encoding(VAE())), ("text_encoder", try ConfigNode.encoding(TextEncoder())),
         ("scheduler", try ConfigNode.encoding(Scheduler())), ("vae_loss", try ConfigNode.encoding(VAELoss())),
         ("discriminator", try ConfigNode.encoding(Discriminator()))]
    }

    static func resolvingBase(_ tree: ConfigNode, baseDirectory: String, chain: [String]) throws -> ConfigNode {
        guard let base = tree["base"] else { return tree }
        guard case .scalar(let name, _) = base else { throw ConfigError.typeMismatch(path: "base", expected: "a preset name or a file path", found: base.summary) }
        guard chain.count < maxBaseDepth, !chain.contains(name) else { throw ConfigError.baseChain(chain + [name]) }
        let parent: ConfigNode
        if presetNames.contains(name) {
            parent = try resolvingBase(ConfigNode(yaml: presetText(name), source: name), baseDirectory: baseDirectory, chain: chain + [name])
        } else {
            let path = name.hasPrefix("/") ? name : (baseDirectory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigError.invalidValue(path: "base", value: "'\(name)'", accepted: "a preset (\(presetNames.joined(separator: ", "))) or a readable YAML file")
            }
            parent = try resolvingBase(ConfigNode(yaml: text, source: path), baseDirectory: (path as NSString).deletingLastPathComponent,
                                       chain: chain + [name])
        }
        return parent.removing("base").merged(with: tree.removing("base"), wholeValues: wholeValues)
    }

    /// The whole config as YAML (what a checkpoint stores and `train --dump-config` prints); it reads back equal.
    public func yamlText() throws -> String { try tree().yamlText() }

    /// The tree of this config with an explicit `null` wherever a nil would otherwise read back as a default.
    public func tree() throws -> ConfigNode {
        var out = try ConfigNode.encoding(self).nullFilled(from: ConfigNode.encoding(TrainingConfig()))
        for (key, defaults) in try Self.sectionDefaults() where out[key]?.entries != nil {
            out = try out.setting([key], to: (out[key] ?? .null).nullFilled(from: defaults))
        }
        return out
    }
}

extension ConfigError {
    init(_ error: DecodingError) {
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            self = .typeMismatch(path: configPath(c.codingPath), expected: "a valid value", found: c.debugDescription)
        case .keyNotFound(let key, let c):
            self = .missingKey(path: configPath(c.codingPath + [key]))
        @unknown default:
            self = .typeMismatch(path: "", expected: "a valid value", found: "\(error)")
        }
    }
}
