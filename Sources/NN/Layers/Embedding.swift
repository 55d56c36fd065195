import MLXTensor

/// A lookup table [count, dimensions] indexed by integer ids.
public final class Embedding: Module {
    @Parameter public var weight: Tensor

    /// Rows drawn N(0, 1) from `key`, as `nn.Embedding.reset_parameters` does.
    public init(count: Int, dimensions: Int, key: RandomKey) {
        weight = Tensor.normal([count, dimensions], key: key)
        super.init()
    }

    public var count: Int { weight.dim(0) }

    /// Rows of the table for `ids` (any integer shape); the result has one more axis.
    public func callAsFunction(_ ids: Tensor) -> Tensor {
        if ids.failure != nil { return ids }
        return weight.take(ids, axis: 0)
    }
}
