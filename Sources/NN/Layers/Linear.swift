import MLXTensor

/// y = x·Wᵀ + b with PyTorch's weight layout [out, in] (so checkpoints load unchanged).
public final class Linear: Module, UnaryLayer {
    @Parameter public var weight: Tensor
    @OptionalParameter public var bias: Tensor?

    public let inputDimensions: Int
    public let outputDimensions: Int

    /// Weights drawn like PyTorch's default init (uniform ±1/√in) from `key`.
    public init(_ inputDimensions: Int, _ outputDimensions: Int, bias: Bool = true, key: RandomKey = RandomKey(seed: 0)) {
        self.inputDimensions = inputDimensions
        self.outputDimensions = outputDimensions
        let bound = 1 / Float(inputDimensions).squareRoot()
        let keys = key.split(into: 2)
        weight = Tensor.uniform([outputDimensions, inputDimensions], low: -bound, high: bound, key: keys[0])
        self.bias = bias ? Tensor.uniform([outputDimensions], low: -bound, high: bound, key: keys[1]) : nil
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard x.dim(-1) == inputDimensions || x.failure != nil else {
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
