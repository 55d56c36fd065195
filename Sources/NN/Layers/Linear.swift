import MLXTensor

/// y = x·Wᵀ + b with PyTorch's weight layout [out, in] (so checkpoints load unchanged).
public final class Linear: Module, UnaryLayer {
    @Parameter public var weight: Tensor
    @OptionalParameter public var bias: Tensor?

    public let inputDimensions: Int
    public let outputDimensions: Int

    /// Weights drawn like PyTorch's default init (`nn.Linear.reset_parameters`: U(±1/√in)) from `key`.
    public init(_ inputDimensions: Int, _ outputDimensions: Int, bias: Bool = true, key: RandomKey) {
        self.inputDimensions = inputDimensions
        self.outputDimensions = outputDimensions
        let keys = key.split(into: 2)
        weight = WeightInit.fanInUniform([outputDimensions, inputDimensions], fanIn: inputDimensions, key: keys[0])
        self.bias = bias ? WeightInit.fanInUniform([outputDimensions], fanIn: inputDimensions, key: keys[1]) : nil
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        guard x.dim(-1) == inputDimensions else {
            return Tensor(failure: .shapeMismatch("[Linear] input \(x.shape) has \(x.dim(-1)) features, expected \(inputDimensions)"))
        }
        if let bias {
            // addmm folds the bias into the GEMM instead of a separate elementwise pass.
            let flat = x.reshaped([-1, inputDimensions])
            return Tensor.addmm(bias, flat, weight.T).reshaped(Array(x.shape.dropLast()) + [outputDimensions])
        }
        return x.matmul(weight.T)
    }
}
