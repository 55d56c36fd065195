import MLXTensor

/// Layers applied in order, keyed `0`, `1`, … like PyTorch's `nn.Sequential`.
public final class Sequential: Module, UnaryLayer {
    @Child(key: "") public var layers: [any UnaryLayer]

    public init(_ layers: [any UnaryLayer]) {
        super.init()
        self.layers = layers
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { layers.reduce(x) { $1($0) } }
}
