import MLXTensor

/// Layers applied in order, keyed `0`, `1`, … like PyTorch's `nn.Sequential`.
public final class Sequential: Module, UnaryLayer {
    public let layers: [any UnaryLayer]

    public init(_ layers: [any UnaryLayer]) {
        self.layers = layers
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { layers.reduce(x) { $1($0) } }

    override public func children() -> [(String, Module)] {
        layers.enumerated().map { ("\($0.offset)", $0.element) }
    }
}
