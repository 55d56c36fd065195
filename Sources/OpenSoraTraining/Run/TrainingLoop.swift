// Reference: train.py@v1.2.0 (epoch loop from start_epoch/start_step, `(global_step + 1) % ckpt_every == 0` saves,
// `--load` and `--start-from-scratch`), train_vae.py@v1.2.0 (the same loop); spec/training.md §2 step 11–12, §10.
import Foundation
import MLXTensor

/// The loop both trainers run: epochs of batches, grouped `grad_accumulation_steps` per optimizer step, a JSONL
/// line per step, atomic checkpoints every `ckpt_every` steps and at the end, and exact resume from any of them.
/// Under data parallelism every rank runs it on its shard; rank 0 alone writes the files.
public final class TrainingLoop<Task: TrainingTask> {
    public struct Options {
        /// The run's folder; nil creates the next `{outputs}/NNN-{model}` one (a resume uses the checkpoint's).
        public var experiment: String?
        /// A checkpoint folder, or an experiment folder (its newest complete checkpoint), to continue from.
        public var resume: String?
        /// Called once the run knows its total steps and the step it resumes after (0 for a fresh run).
        public var onStart: (_ totalSteps: Int, _ after: Int) -> Void
        /// Called after every step with its log entry (the terminal line).
        public var onStep: (TrainingLogEntry) -> Void
        /// Notices: resume, checkpoints written, dataset warnings summary.
        public var onMessage: (String) -> Void
        /// Called after each file of a checkpoint is written, before the folder is renamed into place (tests).
        public var onCheckpointFile: ((String) throws -> Void)?

        public init(experiment: String? = nil, resume: String? = nil, onStart: @escaping (Int, Int) -> Void = { _, _ in },
                    onStep: @escaping (TrainingLogEntry) -> Void = { _ in }, onMessage: @escaping (String) -> Void = { _ in },
                    onCheckpointFile: ((String) throws -> Void)? = nil) {
            (self.experiment, self.resume, self.onStart, self.onStep, self.onMessage) = (experiment, resume, onStart, onStep, onMessage)
            self.onCheckpointFile = onCheckpointFile
        }
    }

    /// How a run ended.
    public struct Summary: Sendable {
        public var experiment: String
        public var completedSteps: Int
        public var lastCheckpoint: String?
        public var skippedSamples: Int
    }

    public let task: Task
    public let options: Options
    public private(set) var experiment = ""

    public init(task: Task, options: Options) {
        self.task = task
        self.options = options
    }

    var config: TrainingConfig { task.config }

    public func run() throws -> Summary {
        let parallel = task.parallelism, writer = parallel.isWriter
        guard config.spSize == parallel.sequence.size else {
            throw ConfigError.invalidValue(path: "sp_size", value: "\(config.spSize)",
                                           accepted: "\(parallel.sequence.size), the run's sequence-parallel ranks (start it with `opensora launch -n N`)")
        }
        var progress = TrainingProgress(epoch: 0, step: 0, globalStep: 0)
        if let resume = options.resume {
            guard let folder = TrainingCheckpoint.resolve(resume) else { throw TrainingCheckpointError.noCheckpoint(folder: resume) }
            let loaded = try TrainingCheckpoint.load(from: folder)
            try task.optimizer.restore(model: loaded.checkpoint.model, optimizer: loaded.checkpoint.optimizer,
                                       ema: loaded.checkpoint.ema, source: folder)
            if let notice = try task.restoreDiscriminator(from: loaded) { options.onMessage(notice) }
            experiment = options.experiment ?? (folder as NSString).deletingLastPathComponent
            if writer { try FileManager.default.createDirectory(atPath: experiment, withIntermediateDirectories: true) }  // a new folder for the rest
            if config.startFromScratch {
                options.onMessage("loaded weights and optimizer from \(folder); starting from step 0 (start_from_scratch)")
            } else {
                progress = loaded.checkpoint.progress
                if let s = loaded.checkpoint.sampler { (progress.epoch, progress.step) = (s.epoch, s.position) }
                options.onMessage("resumed from \(folder) at step \(progress.globalStep) (epoch \(progress.epoch), batch \(progress.step))")
            }
        } else if let given = options.experiment {
            experiment = given
            if writer {
                try FileManager.default.createDirectory(atPath: given, withIntermediateDirectories: true)
                try AtomicFile.write(Data(config.yamlText().utf8), to: (given as NSString).appendingPathComponent("config.yaml"), durable: true)
            }
        } else {
            experiment = writer ? try ExperimentFolder.create(for: config) : "(rank \(parallel.world.rank) writes nothing)"
        }
        guard task.optimizer.completedSteps == progress.globalStep || config.startFromScratch else {
            throw TrainingError.checkpointMismatch(what: "optimizer", key: "step",
                                                   reason: "\(task.optimizer.completedSteps), the progress says \(progress.globalStep)")
        }
        let log = writer ? try TrainingLog(path: (experiment as NSString).appendingPathComponent("log.jsonl"), resumingAfter: progress.globalStep) : nil
        let accumulation = config.gradAccumulationSteps
        let perEpoch = max(1, try task.batchCount(epoch: progress.epoch) / accumulation)
        let total = config.maxSteps ?? perEpoch * config.epochs
        options.onStart(total, progress.globalStep)
        let clock = ContinuousClock(), start = clock.now
        var lastCheckpoint: String?, skippedBefore = 0, samples = 0, savedAt = progress.globalStep

        func save() throws {
            savedAt = progress.globalStep
            guard writer else { return }
            let checkpoint = TrainingCheckpoint(
                progress: progress, model: task.optimizer.modelState(), ema: try task.optimizer.emaState(),
                optimizer: task.optimizer.adamw.state(), sampler: BatchSamplerState(epoch: progress.epoch, position: progress.step),
                rng: RNGStates(keys: ["run": .init(seed: config.seed, counter: UInt64(progress.globalStep))]),
                config: config, modelConfig: try task.modelConfigJSON(), discriminator: try task.discriminatorState())
            lastCheckpoint = try checkpoint.save(in: experiment, keepLast: config.keepLastCheckpoints, afterFile: options.onCheckpointFile)
            options.onMessage("saved \(lastCheckpoint!)")
        }

        // The next epoch's batches, opened near the end of this one so its first batch is decoded ahead too.
        var upcoming: (epoch: Int, source: TrainingBatchSource<Task.Batch>)?
        defer { upcoming?.source.stop() }
        training: for epoch in progress.epoch..<config.epochs {
            if epoch != progress.epoch { (progress.epoch, progress.step) = (epoch, 0) }
            let source = try upcoming.flatMap { $0.epoch == epoch && progress.step == 0 ? $0.source : nil }
                ?? task.batches(epoch: epoch, from: progress.step)
            upcoming = nil
            let epochBatches = try task.batchCount(epoch: epoch)
            defer {
                source.stop()
                skippedBefore += source.skipped()
            }
            let startPosition = progress.step
            var stepsThisEpoch = 0
            while progress.globalStep < total {
                var group = [Task.Batch]()
                while group.count < accumulation, let batch = try source.next() { group.append(batch) }
                if group.isEmpty {
                    // An epoch without a single batch (none fits the buckets) would repeat for every epoch left.
                    guard stepsThisEpoch > 0 || startPosition > 0 else {
                        throw TrainingError.noBatches(reason: "epoch \(epoch) has none: no sample of the dataset fits bucket_config "
                                                      + "(a video needs more frames than its bucket's count), or every one failed to read")
                    }
                    break
                }
                stepsThisEpoch += 1
                let step = progress.globalStep
                let result = try task.optimizer.step(microBatches: group.count) { try task.loss(of: group[$0], step: step, micro: $0) }
                guard result.loss.isFinite else { throw TrainingError.nonFiniteLoss(step: step + 1, loss: result.loss) }
                try task.afterOptimizerStep(step: step)
                let terms = try task.lastTerms()
                progress.globalStep += 1
                progress.step = startPosition + source.consumed()
                // Throughput of the whole run: this rank's samples times the data ranks (ranks in other buckets differ a little).
                samples += group.reduce(0) { $0 + task.sampleCount(of: $1) } * parallel.data.worldSize
                let skipped = skippedBefore + source.skipped()
                let elapsed = (clock.now - start).seconds
                var entry = TrainingLogEntry(step: progress.globalStep, epoch: epoch, loss: result.loss, lr: result.learningRate,
                                             samplesPerSecond: Double(samples) / max(elapsed, 1e-9), elapsedSeconds: elapsed,
                                             gradNorm: result.gradNorm, skippedSamples: skipped > 0 ? skipped : nil,
                                             terms: terms.isEmpty ? nil : terms)
                if config.evalEvery > 0, progress.globalStep % config.evalEvery == 0, writer {
                    entry.evalLosses = try task.evaluate(afterStep: progress.globalStep)
                }
                try log?.append(entry)
                options.onStep(entry)
                if config.ckptEvery > 0, progress.globalStep % config.ckptEvery == 0 { try save() }
                if upcoming == nil, epoch + 1 < config.epochs, progress.globalStep < total,
                   progress.step + 2 * accumulation >= epochBatches {
                    upcoming = (epoch + 1, try task.batches(epoch: epoch + 1, from: 0))
                }
            }
            if progress.globalStep >= total { break training }
        }
        if savedAt != progress.globalStep { try save() }
        let skipped = skippedBefore
        if skipped > 0 { options.onMessage("skipped \(skipped) unreadable sample(s); see the warnings above") }
        return Summary(experiment: experiment, completedSteps: progress.globalStep,
                       lastCheckpoint: lastCheckpoint ?? (writer ? TrainingCheckpoint.latest(in: experiment) : nil),
                       skippedSamples: skipped)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
