// Reference: config_utils.py@v1.2.0 `parse_args(training=True)` and `merge_args`: `--data-path` → dataset.data_path,
// `--ckpt-path` → model.from_pretrained, every other flag → the top-level key of its name; spec/surfaces.md §1.1, §1.3.
// Not reproduced: `--wandb` declared `type=bool` (so "False" enables it); here the value is read as a Bool.

extension ConfigOverride {
    /// The reference's training flags (dashes, no leading `--`) and the key path each one sets.
    public static let referenceFlags: [String: [String]] = [
        "data-path": ["dataset", "data_path"], "ckpt-path": ["model", "from_pretrained"], "lr": ["optimizer", "lr"],
        "warmup-steps": ["warmup_steps"], "load": ["load"], "start-from-scratch": ["start_from_scratch"], "seed": ["seed"],
        "batch-size": ["batch_size"], "outputs": ["outputs"], "dtype": ["dtype"], "wandb": ["wandb"],
        "flash-attn": ["model", "enable_flash_attn"], "layernorm-kernel": ["model", "enable_layernorm_kernel"],
    ]

    /// The override a reference flag stands for; `value` is typed later by the key, like a `--set` value.
    public init(referenceFlag flag: String, value: String) throws {
        let name = flag.hasPrefix("--") ? String(flag.dropFirst(2)) : flag
        guard let path = Self.referenceFlags[name] else {
            throw ConfigError.unknownKey(path: "--\(name)", accepted: Self.referenceFlags.keys.sorted().map { "--\($0)" },
                                         hint: ConfigSpelling.closest(to: name, in: Self.referenceFlags.keys.sorted()).map { "--\($0)" })
        }
        try self.init(parsing: path.joined(separator: ".") + "=" + value)
    }
}
