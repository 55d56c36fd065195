// Reference: scripts/train.py@v1.2.0 (dtype assertion, `zero2-seq` needs sp_size > 1, bucket_config for the
// variable dataset), MaskGenerator's and HybridAdam's argument checks; spec/training.md §2, §9.

extension TrainingConfig {
    /// The checks the keys' types cannot express; each error names the key and the accepted range.
    public func validate() throws {
        func atLeast(_ value: Int, _ minimum: Int, _ path: String) throws {
            guard value >= minimum else { throw ConfigError.invalidValue(path: path, value: "\(value)", accepted: "an integer ≥ \(minimum)") }
        }
        func within(_ value: Double, _ range: ClosedRange<Double>, _ path: String, open: Bool = false) throws {
            guard range.contains(value), !(open && value == range.upperBound) else {
                throw ConfigError.invalidValue(path: path, value: "\(value)", accepted: "a number in [\(range.lowerBound), \(range.upperBound)\(open ? ")" : "]")")
            }
        }
        guard optimizer.lr > 0 else { throw ConfigError.invalidValue(path: "optimizer.lr", value: "\(optimizer.lr)", accepted: "a number > 0") }
        guard optimizer.eps > 0 else { throw ConfigError.invalidValue(path: "optimizer.eps", value: "\(optimizer.eps)", accepted: "a number > 0") }
        try within(optimizer.weightDecay, 0...1, "optimizer.weight_decay")
        guard optimizer.betas.count == 2 else {
            throw ConfigError.invalidValue(path: "optimizer.betas", value: "\(optimizer.betas.count) values", accepted: "[beta1, beta2]")
        }
        for (i, b) in optimizer.betas.enumerated() { try within(b, 0...1, "optimizer.betas[\(i)]", open: true) }
        if let w = warmupSteps { try atLeast(w, 0, "warmup_steps") }
        guard gradClip >= 0 else { throw ConfigError.invalidValue(path: "grad_clip", value: "\(gradClip)", accepted: "a number ≥ 0 (0 = off)") }
        if let d = emaDecay { try within(d, 0...1, "ema_decay") }
        if let s = scheduler?.transformScale, !(s > 0 && s.isFinite) {
            throw ConfigError.invalidValue(path: "scheduler.transform_scale", value: "\(s)", accepted: "a finite number > 0")
        }
        try atLeast(epochs, 1, "epochs")
        if let m = maxSteps { try atLeast(m, 1, "max_steps") }
        for (value, key) in [(model.hiddenSize, "hidden_size"), (model.depth, "depth"), (model.numHeads, "num_heads")] {
            guard let value else { continue }
            try atLeast(value, 1, "model.\(key)")
            guard model.type == .stdit3Tiny else {
                throw ConfigError.invalidValue(path: "model.\(key)", value: "\(value)", accepted: "only with model.type STDiT3-tiny")
            }
        }
        if let h = model.hiddenSize, h % (model.numHeads ?? 4) != 0 {
            throw ConfigError.invalidValue(path: "model.hidden_size", value: "\(h)", accepted: "a multiple of model.num_heads")
        }
        try atLeast(logEvery, 1, "log_every")
        try atLeast(ckptEvery, 0, "ckpt_every")
        try atLeast(evalEvery, 0, "eval_every")
        try atLeast(gradAccumulationSteps, 1, "grad_accumulation_steps")
        try atLeast(numWorkers, 0, "num_workers")
        try atLeast(numBucketBuildWorkers, 1, "num_bucket_build_workers")
        try atLeast(spSize, 1, "sp_size")
        try atLeast(dataset.frameInterval, 1, "dataset.frame_interval")
        if let b = batchSize { try atLeast(b, 1, "batch_size") }
        if let k = keepLastCheckpoints { try atLeast(k, 1, "keep_last_checkpoints") }
        if let n = dataset.numFrames { try atLeast(n, 1, "dataset.num_frames") }
        if let size = dataset.imageSize {
            guard size.count == 2, size.allSatisfy({ $0 >= 1 }) else {
                throw ConfigError.invalidValue(path: "dataset.image_size", value: "\(size)", accepted: "[height, width], both ≥ 1")
            }
        }
        if plugin == .zero2Sequence, spSize <= 1 {
            throw ConfigError.invalidValue(path: "sp_size", value: "\(spSize)", accepted: "> 1 with plugin zero2-seq")
        }
        if wandb {
            throw ConfigError.invalidValue(path: "wandb", value: "true",
                                           accepted: "false (no Weights & Biases here: log.jsonl and `opensora train plot` take its place)")
        }
        if let loss = vaeLoss { try within(loss.mixedImageRatio, 0...1, "vae_loss.mixed_image_ratio") }
        if trainer == .diffusion, dataset.type == .variableVideoText, bucketConfig == nil {
            throw ConfigError.missingKey(path: "bucket_config")
        }
    }
}
