import MLXTensor

/// The draws of `torch.nn.init` that the reference models use, so a model built here starts from the
/// same distributions (RNG streams differ from torch's; the contract is the distribution).
public enum WeightInit {
    /// PyTorch's default for `nn.Linear`/`nn.ConvNd`: kaiming_uniform_(a=√5) on the weight and the
    /// bias bound of `reset_parameters`, both U(±1/√fan_in).
    public static func fanInUniform(_ shape: [Int], fanIn: Int, key: RandomKey) -> Tensor {
        let bound = 1 / Float(max(fanIn, 1)).squareRoot()
        return Tensor.uniform(shape, low: -bound, high: bound, key: key)
    }

    /// `xavier_uniform_`: U(±√(6/(fan_in+fan_out))).
    public static func xavierUniform(_ shape: [Int], fanIn: Int, fanOut: Int, key: RandomKey) -> Tensor {
        let bound = (6 / Float(fanIn + fanOut)).squareRoot()
        return Tensor.uniform(shape, low: -bound, high: bound, key: key)
    }

    /// `normal_(mean=0, std=std)`.
    public static func normal(_ shape: [Int], std: Float, key: RandomKey) -> Tensor {
        Tensor.normal(shape, key: key) * std
    }
}

extension Linear {
    /// `torch.nn.init.xavier_uniform_` on the [out, in] weight and a zero bias (DiT-style `_basic_init`).
    public func initializeXavierUniform(key: RandomKey) {
        weight = WeightInit.xavierUniform(weight.shape, fanIn: inputDimensions, fanOut: outputDimensions, key: key)
        if bias != nil { bias = Tensor.zeros([outputDimensions]) }
    }

    /// `normal_(std)` on the weight and a zero bias.
    public func initializeNormal(std: Float, key: RandomKey) {
        weight = WeightInit.normal(weight.shape, std: std, key: key)
        if bias != nil { bias = Tensor.zeros([outputDimensions]) }
    }

    /// PyTorch's `reset_parameters` (what a freshly constructed `nn.Linear` holds).
    public func resetParameters(key: RandomKey) {
        let keys = key.split(into: 2)
        weight = WeightInit.fanInUniform(weight.shape, fanIn: inputDimensions, key: keys[0])
        if bias != nil { bias = WeightInit.fanInUniform([outputDimensions], fanIn: inputDimensions, key: keys[1]) }
    }

    /// A zero weight (the bias is left as it is, as `nn.init.constant_(m.weight, 0)` does).
    public func zeroWeight() { weight = Tensor.zeros(weight.shape) }
}

extension Convolution {
    /// PyTorch's `_ConvNd.reset_parameters` (what a freshly constructed `nn.ConvNd` holds).
    public func resetParameters(key: RandomKey) {
        let fanIn = weight.shape.dropFirst().reduce(1, *)  // [O, k…, I/groups]: everything but O
        let keys = key.split(into: 2)
        weight = WeightInit.fanInUniform(weight.shape, fanIn: fanIn, key: keys[0])
        if let bias { self.bias = WeightInit.fanInUniform(bias.shape, fanIn: fanIn, key: keys[1]) }
    }
}

extension Embedding {
    /// `nn.Embedding.reset_parameters`: N(0, 1).
    public func resetParameters(key: RandomKey) { weight = Tensor.normal(weight.shape, key: key) }
}

extension Module {
    /// Every module of the tree with its dotted path, parents first ("" is the module itself), like
    /// torch's `named_modules()`: what per-type initialisation (`self.apply(_basic_init)`) walks.
    public func namedModules() -> [(String, Module)] {
        var result = [("", self as Module)]
        for (key, child) in children() {
            result += child.namedModules().map { (key + ($0.0.isEmpty ? "" : "." + $0.0), $0.1) }
        }
        return result
    }

    /// Redraws every `Linear`, `Convolution` and `Embedding` as PyTorch constructs them, each from its
    /// own key (norms keep ones/zeros): the init of reference models that define no init of their own.
    public func resetParametersToPyTorchDefaults(key: RandomKey) {
        let modules = namedModules().map(\.1)
        let keys = key.split(into: max(modules.count, 1))
        for (module, k) in zip(modules, keys) {
            switch module {
            case let m as Linear: m.resetParameters(key: k)
            case let m as Convolution: m.resetParameters(key: k)
            case let m as Embedding: m.resetParameters(key: k)
            default: break
            }
        }
    }
}
