import MLXTensor

/// Parameter-free activations as layers (they hold a slot in `Sequential` numbering, as in PyTorch).
public final class SiLU: Module, UnaryLayer {
    override public init() { super.init() }
    public func callAsFunction(_ x: Tensor) -> Tensor { x.failure != nil ? x : x.silu() }
}

/// GELU, exact (erf) or with PyTorch's tanh approximation.
public final class GELU: Module, UnaryLayer {
    public enum Approximation: Sendable { case none, tanh }
    public let approximation: Approximation

    public init(approximation: Approximation = .none) {
        self.approximation = approximation
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        return approximation == .tanh ? x.geluTanh() : x.gelu()
    }
}

/// Identity placeholder (PyTorch `nn.Identity`).
public final class Identity: Module, UnaryLayer {
    override public init() { super.init() }
    public func callAsFunction(_ x: Tensor) -> Tensor { x }
}

/// ReLU (PyTorch `nn.ReLU`; `inplace` makes no difference here).
public final class ReLU: Module, UnaryLayer {
    override public init() { super.init() }
    public func callAsFunction(_ x: Tensor) -> Tensor { x.failure != nil ? x : x.relu() }
}

/// LeakyReLU (PyTorch `nn.LeakyReLU(negative_slope)`): x for x ≥ 0, slope·x below.
public final class LeakyReLU: Module, UnaryLayer {
    public let negativeSlope: Float
    public init(negativeSlope: Float = 0.01) {
        self.negativeSlope = negativeSlope
        super.init()
    }
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.failure != nil ? x : Tensor.where(x .>= 0, x, x * negativeSlope)
    }
}
