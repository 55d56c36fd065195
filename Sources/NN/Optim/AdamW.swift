import MLXTensor

/// Adam with decoupled weight decay and bias correction (PyTorch `AdamW`; Open-Sora's HybridAdam in
/// AdamW mode, spec/training.md §9.1):
/// p ← p − lr·wd·p;  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
/// p ← p − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + eps).
public final class AdamW {
    public var learningRate: Float
    public let betas: (Float, Float)
    public let eps: Float
    public let weightDecay: Float
    public private(set) var step = 0
    private var m = [String: Tensor]()
    private var v = [String: Tensor]()

    public init(learningRate: Float = 1e-4, betas: (Float, Float) = (0.9, 0.999), eps: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
    }

    /// One update of `parameters` with `grads` (same paths); returns the new parameters.
    public func update(parameters: [String: Tensor], grads: [String: Tensor]) throws -> [String: Tensor] {
        step += 1
        let (b1, b2) = betas
        let c1 = 1 - Float(Double(b1).power(step)), c2 = 1 - Float(Double(b2).power(step))
        var result = [String: Tensor]()
        for (path, p) in parameters {
            guard let g = grads[path] else { result[path] = p; continue }
            guard g.shape == p.shape else {
                throw TensorError.shapeMismatch("[AdamW] gradient for \(path) has shape \(g.shape), parameter \(p.shape)")
            }
            let m1 = (m[path] ?? Tensor.zeros(like: p)) * b1 + g * (1 - b1)
            let v1 = (v[path] ?? Tensor.zeros(like: p)) * b2 + g.square() * (1 - b2)
            m[path] = m1
            v[path] = v1
            let decayed = weightDecay == 0 ? p : p * (1 - learningRate * weightDecay)
            result[path] = decayed - (m1 / c1) / ((v1 / c2).sqrt() + eps) * learningRate
        }
        try Tensor.eval(Array(result.values) + Array(m.values) + Array(v.values))
        return result
    }

    /// Applies one step to a module's trainable parameters.
    public func step(_ module: Module, grads: [String: Tensor]) throws {
        let params = Dictionary(module.trainableParameters(), uniquingKeysWith: { a, _ in a })
        try module.update(parameters: update(parameters: params, grads: grads))
    }

    // MARK: state

    /// Moments as `exp_avg.<path>` / `exp_avg_sq.<path>`, the step and hyper-parameters as metadata.
    public func state() -> SafetensorsFile {
        var tensors = [String: Tensor]()
        for (k, t) in m { tensors["exp_avg.\(k)"] = t }
        for (k, t) in v { tensors["exp_avg_sq.\(k)"] = t }
        return SafetensorsFile(tensors: tensors, metadata: [
            "step": "\(step)", "lr": "\(learningRate)", "beta1": "\(betas.0)", "beta2": "\(betas.1)",
            "eps": "\(eps)", "weight_decay": "\(weightDecay)",
        ])
    }

    public func save(to path: String) throws { try Safetensors.save(state(), to: path) }

    /// Restores moments and step from `save(to:)`.
    public func load(from path: String) throws {
        let file = try Safetensors.load(path)
        guard let s = file.metadata["step"], let n = Int(s) else {
            throw TensorError.badFile(path: path, reason: "not an AdamW state: no integer 'step' metadata")
        }
        step = n
        m = [:]
        v = [:]
        for (name, t) in file.tensors {
            if name.hasPrefix("exp_avg_sq.") { v[String(name.dropFirst("exp_avg_sq.".count))] = t }
            else if name.hasPrefix("exp_avg.") { m[String(name.dropFirst("exp_avg.".count))] = t }
        }
    }
}

extension Double {
    func power(_ n: Int) -> Double { (0..<n).reduce(1) { acc, _ in acc * self } }
}
