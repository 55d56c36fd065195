import MLXTensor

/// GroupNorm over channels-last input (PyTorch semantics: per-sample statistics over spatial axes
/// and C/groups channels; affine weight/bias of C).
public final class GroupNorm: Module, UnaryLayer {
    @OptionalParameter public var weight: Tensor?
    @OptionalParameter public var bias: Tensor?
    public let groups: Int
    public let eps: Float

    public init(groups: Int, channels: Int, eps: Float = 1e-5, affine: Bool = true) {
        self.groups = groups
        self.eps = eps
        weight = affine ? Tensor.ones([channels]) : nil
        bias = affine ? Tensor.zeros([channels]) : nil
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        return x.groupNorm(groups: groups, weight: weight, bias: bias, eps: eps)
    }

    /// SiLU(GroupNorm(x)) in one pass on the CPU.
    public func withSiLU(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        return x.groupNorm(groups: groups, weight: weight, bias: bias, eps: eps, silu: true)
    }
}

/// LayerNorm over the last axis, with or without the affine (and with or without its bias).
public final class LayerNorm: Module, UnaryLayer {
    @OptionalParameter public var weight: Tensor?
    @OptionalParameter public var bias: Tensor?
    public let eps: Float

    public init(_ dimensions: Int, eps: Float = 1e-5, affine: Bool = true, bias: Bool = true) {
        self.eps = eps
        weight = affine ? Tensor.ones([dimensions]) : nil
        self.bias = affine && bias ? Tensor.zeros([dimensions]) : nil
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        return x.layerNorm(weight: weight, bias: bias, eps: eps)
    }
}

/// RMSNorm over the last axis: x/√(mean(x²)+eps)·weight (no mean subtraction).
public final class RMSNorm: Module, UnaryLayer {
    @Parameter public var weight: Tensor
    public let eps: Float

    public init(_ dimensions: Int, eps: Float = 1e-6) {
        self.eps = eps
        weight = Tensor.ones([dimensions])
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        return x.rmsNorm(weight: weight, eps: eps)
    }
}
