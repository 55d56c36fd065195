// Reference: train.py@v1.2.0 (HybridAdam in AdamW mode over fp32 master weights, LinearWarmupLR, clip_grad_norm at
// grad_clip, update_ema from the fp32 master after every step); spec/training.md §9.
import MLXTensor
import NN
import OpenSora

/// One module's optimisation, shared by both trainers: float32 master weights (the module computes in its
/// own dtype), gradients averaged over micro-batches, global-norm clipping, AdamW at the warm-up rate, EMA.
public final class ParameterOptimizer {
    public let module: Module
    /// Every parameter of the module in float32; AdamW updates the trainable ones.
    public private(set) var master: [String: Tensor]
    public let trainablePaths: [String]
    public let adamw: AdamW
    public let schedule: WarmupSchedule
    public let gradClip: Float
    public let ema: EMA?
    public let computeDType: DType
    /// Buffers the module's own forward updates (BatchNorm statistics): kept in their dtype, not cast, and read back
    /// from the module after every step so the checkpoint holds them.
    public let liveBuffers: Set<String>
    /// The ranks whose gradients (and losses) are averaged before the update: data parallelism's world.
    public var gradientGroup: ParallelGroup = .single

    /// What one optimizer step did.
    public struct Step: Sendable, Equatable {
        /// Mean of the micro-batch losses.
        public var loss: Double
        /// Global L2 norm of the averaged gradient, before clipping.
        public var gradNorm: Double
        public var learningRate: Double
    }

    /// `liveBuffers`: the module updates its buffers itself (see `liveBuffers`); `keepsEMA: false` ignores `ema_decay`.
    public init(module: Module, config: TrainingConfig, computeDType: DType, liveBuffers: Bool = false, keepsEMA: Bool = true) throws {
        self.module = module
        self.computeDType = computeDType
        let live = liveBuffers ? module.bufferPaths() : []
        self.liveBuffers = live
        let master = Dictionary(module.namedParameters().map { ($0.0, live.contains($0.0) ? $0.1 : $0.1.asType(.float32)) },
                                uniquingKeysWith: { a, _ in a })
        self.master = master
        trainablePaths = module.trainableParameters().map(\.0)
        guard !trainablePaths.isEmpty else { throw TrainingError.nothingToTrain(module: "\(type(of: module))") }
        let o = config.optimizer
        adamw = AdamW(learningRate: Float(o.lr), betas: (Float(o.betas[0]), Float(o.betas[1])), eps: Float(o.eps),
                      weightDecay: Float(o.weightDecay))
        schedule = WarmupSchedule(baseLearningRate: Float(o.lr), warmupSteps: config.warmupSteps ?? 0)
        gradClip = Float(config.gradClip)
        ema = keepsEMA ? config.emaDecay.map { EMA(parameters: master, decay: Float($0)) } : nil
        try Tensor.eval(Array(master.values))
        try syncModule()
    }

    /// Optimizer steps completed.
    public var completedSteps: Int { adamw.step }

    /// One step: `loss(i)` for each micro-batch i (it reads the module's parameters), gradients averaged.
    public func step(microBatches: Int, loss: (Int) throws -> Tensor) throws -> Step {
        var sum = [String: Tensor](), lossSum = 0.0
        for i in 0..<microBatches {
            let (value, grads) = try module.valueAndGrad { try loss(i) }
            let g32 = grads.mapValues { $0.asType(.float32) }
            for (path, g) in g32 { sum[path] = sum[path].map { $0 + g } ?? g }
            try Tensor.eval([value] + Array(sum.values))
            lossSum += Double(try value.asType(.float32).item() as Float)
        }
        let scale = 1 / Float(microBatches)
        let local = microBatches == 1 ? sum : sum.mapValues { $0 * scale }
        // Every rank's mean weighs equally, whatever its batch size (spec/parallelism.md §5 item 5).
        let averaged = gradientGroup.mean(of: local)
        if !gradientGroup.isSingle {
            lossSum = Double(try (gradientGroup.allSum(Tensor([Float(lossSum)])) / Float(gradientGroup.size)).item() as Float)
        }
        let (clipped, norm) = try clipGradientNorm(averaged, maxNorm: gradClip > 0 ? gradClip : .infinity)
        let lr = schedule.learningRate(afterSteps: adamw.step)
        adamw.learningRate = lr
        let trainable = Dictionary(uniqueKeysWithValues: trainablePaths.map { ($0, master[$0]!) })
        for (path, p) in try adamw.update(parameters: trainable, grads: clipped) { master[path] = p }
        try ema?.update(with: trainable.keys.reduce(into: [:]) { $0[$1] = master[$1] })
        try absorbLiveBuffers()
        try syncModule()
        return Step(loss: lossSum / Double(microBatches), gradNorm: Double(norm), learningRate: Double(lr))
    }

    /// The module's parameters from the master copy, in the compute dtype (live buffers as they are).
    func syncModule() throws {
        try module.update(parameters: master.reduce(into: [:]) { $0[$1.key] = liveBuffers.contains($1.key) ? $1.value : $1.value.asType(computeDType) })
    }

    /// Copies the live buffers' current values from the module into the master copy.
    func absorbLiveBuffers() throws {
        guard !liveBuffers.isEmpty else { return }
        let current = module.namedParameters().filter { liveBuffers.contains($0.0) }
        for (path, t) in current { master[path] = t }
        try Tensor.eval(current.map(\.1))
    }

    // MARK: state

    /// Every parameter in float32 under the official names and PyTorch layouts: the checkpoint's model file,
    /// which `loadWeights` (and so `generate --ckpt-path`) reads like a released checkpoint.
    public func modelState() -> SafetensorsFile { SafetensorsFile(tensors: module.pyTorchLayout(master), metadata: ["format": "pt"]) }

    /// The EMA state with its tensors in PyTorch layouts (loadable as model weights too).
    public func emaState() throws -> SafetensorsFile? {
        guard let state = try ema?.state() else { return nil }
        return SafetensorsFile(tensors: module.pyTorchLayout(state.tensors), metadata: state.metadata)
    }

    /// Restores the weights (every parameter, strictly) and, when given, the optimizer and EMA states, all as the
    /// checkpoint read them (`source` names it in errors).
    public func restore(model: SafetensorsFile, optimizer: SafetensorsFile?, ema emaState: SafetensorsFile?, source: String) throws {
        var restored = [String: Tensor]()
        let weights = module.ownLayout(model.tensors)
        for (path, current) in master {
            guard let t = weights[path] else { throw TrainingError.checkpointMismatch(what: "model", key: path, reason: "missing") }
            guard t.shape == current.shape else {
                throw TrainingError.checkpointMismatch(what: "model", key: path, reason: "shape \(t.shape), the model has \(current.shape)")
            }
            restored[path] = t.asType(liveBuffers.contains(path) ? current.dtype : .float32)
        }
        if let extra = model.tensors.keys.first(where: { master[$0] == nil }) {
            throw TrainingError.checkpointMismatch(what: "model", key: extra, reason: "not a parameter of this model")
        }
        try Tensor.eval(Array(restored.values))
        let trainable = Dictionary(uniqueKeysWithValues: trainablePaths.map { ($0, restored[$0]!) })
        if let optimizer { try adamw.load(state: optimizer, source: source, parameters: trainable) }
        if let emaState, let ema {
            try ema.load(state: SafetensorsFile(tensors: module.ownLayout(emaState.tensors), metadata: emaState.metadata), source: source,
                         parameters: restored)
        }
        master = restored
        try syncModule()
    }
}
