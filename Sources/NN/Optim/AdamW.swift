import MLXTensor

/// Adam with decoupled weight decay and bias correction (PyTorch `AdamW`; Open-Sora's HybridAdam in
/// AdamW mode, spec/training.md §9.1):
/// p ← p − lr·wd·p;  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
/// p ← p − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + eps).
/// Moments are float32 whatever the parameters' dtype (bf16 moments lose small updates).
public final class AdamW {
    public var learningRate: Float
    public private(set) var betas: (Float, Float)
    public private(set) var eps: Float
    public private(set) var weightDecay: Float
    public private(set) var step = 0
    /// First and second moments by parameter path, float32, shaped like the parameters.
    public private(set) var firstMoments = [String: Tensor]()
    public private(set) var secondMoments = [String: Tensor]()

    public init(learningRate: Float = 1e-4, betas: (Float, Float) = (0.9, 0.999), eps: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
    }

    /// One update of `parameters` with `grads` (same paths); returns the new parameters.
    public func update(parameters: [String: Tensor], grads: [String: Tensor]) throws -> [String: Tensor] {
        for (path, p) in parameters {
            guard let g = grads[path] else { continue }
            try p.checked()
            try g.checked()
            guard g.shape == p.shape else {
                throw TensorError.shapeMismatch("[AdamW] gradient for \(path) has shape \(g.shape), parameter \(p.shape)")
            }
        }
        step += 1
        let (b1, b2) = betas
        let c1 = 1 - Float(Double(b1).power(step)), c2 = 1 - Float(Double(b2).power(step))
        var result = [String: Tensor]()
        for (path, p) in parameters {
            guard let g = grads[path]?.asType(.float32) else { result[path] = p; continue }
            let m1 = (firstMoments[path] ?? Tensor.zeros(p.shape)) * b1 + g * (1 - b1)
            let v1 = (secondMoments[path] ?? Tensor.zeros(p.shape)) * b2 + g.square() * (1 - b2)
            firstMoments[path] = m1
            secondMoments[path] = v1
            let p32 = p.asType(.float32)
            let decayed = weightDecay == 0 ? p32 : p32 * (1 - learningRate * weightDecay)
            let updated = decayed - (m1 / c1) / ((v1 / c2).sqrt() + eps) * learningRate
            result[path] = p.dtype == .float32 ? updated : updated.asType(p.dtype)
        }
        try Tensor.eval(Array(result.values) + Array(firstMoments.values) + Array(secondMoments.values))
        return result
    }

    /// Applies one step to a module's trainable parameters.
    public func step(_ module: Module, grads: [String: Tensor]) throws {
        let params = Dictionary(module.trainableParameters(), uniquingKeysWith: { a, _ in a })
        try module.update(parameters: update(parameters: params, grads: grads))
    }

    // MARK: state

    static let format = "opensora.adamw.v1"

    /// Moments as `exp_avg.<path>` / `exp_avg_sq.<path>` (PyTorch's state names), float32; the step
    /// and every hyper-parameter as metadata (Float's shortest decimal form reads back exactly).
    public func state() -> SafetensorsFile {
        var tensors = [String: Tensor]()
        for (k, t) in firstMoments { tensors["exp_avg.\(k)"] = t }
        for (k, t) in secondMoments { tensors["exp_avg_sq.\(k)"] = t }
        return SafetensorsFile(tensors: tensors, metadata: [
            "format": Self.format, "step": "\(step)", "lr": "\(learningRate)", "beta1": "\(betas.0)",
            "beta2": "\(betas.1)", "eps": "\(eps)", "weight_decay": "\(weightDecay)",
        ])
    }

    public func save(to path: String) throws { try Safetensors.save(state(), to: path) }

    /// Restores the whole state saved by `save(to:)`, checking the moments against `parameters`
    /// (the ones this optimizer will update); on any error nothing changes.
    public func load(from path: String, parameters: [String: Tensor]) throws {
        try load(state: Safetensors.load(path), source: path, parameters: parameters)
    }

    /// `load(from:parameters:)` from a state already in memory (`source` names it in errors).
    public func load(state: SafetensorsFile, source: String, parameters: [String: Tensor]) throws {
        let file = try StateFile(file: state, source: source, format: Self.format)
        let n = try file.int("step")
        let lr = try file.float("lr"), b1 = try file.float("beta1"), b2 = try file.float("beta2")
        let e = try file.float("eps"), wd = try file.float("weight_decay")
        let expected = n == 0 ? [:] : parameters
        let moments = try file.tensors(prefixes: ["exp_avg.", "exp_avg_sq."], matching: expected, dtype: .float32)
        let (m, v) = (moments[0], moments[1])
        try Tensor.eval(Array(m.values) + Array(v.values))
        (step, learningRate, betas, eps, weightDecay) = (n, lr, (b1, b2), e, wd)
        (firstMoments, secondMoments) = (m, v)
    }

    /// `load(from:parameters:)` against a module's trainable parameters.
    public func load(from path: String, module: Module) throws {
        try load(from: path, parameters: Dictionary(module.trainableParameters(), uniquingKeysWith: { a, _ in a }))
    }
}

extension Double {
    func power(_ n: Int) -> Double { (0..<n).reduce(1) { acc, _ in acc * self } }
}
