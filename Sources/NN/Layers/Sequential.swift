import MLXTensor

/// Layers applied in order, keyed `0`, `1`, … like PyTorch's `nn.Sequential`.
public final class Sequential: Module, UnaryLayer {
    @Child(key: "") public var layers: [any UnaryLayer]

    public init(_ layers: [any UnaryLayer]) {
        super.init()
        self.layers = layers
    }

    /// Stops at the first failed tensor, so a failure passes through layers that would read its shape.
    public func callAsFunction(_ x: Tensor) -> Tensor { layers.reduce(x) { $0.failure != nil ? $0 : $1($0) } }
}
