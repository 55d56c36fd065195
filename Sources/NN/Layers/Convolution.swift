import MLXTensor

/// PyTorch-compatible N-d convolution (Conv1d/2d/3d): weights load from `[O, I/groups, k…]` and are
/// kept as MLX's `[O, k…, I/groups]`; activations are channels-last `[N, spatial…, C]`.
public final class Convolution: Module, UnaryLayer {
    @Parameter public var weight: Tensor
    @OptionalParameter public var bias: Tensor?

    public let stride: [Int]
    /// (before, after) zero padding per spatial axis.
    public let padding: [(Int, Int)]
    public let dilation: [Int]
    public let groups: Int

    public init(
        _ inputChannels: Int, _ outputChannels: Int, kernelSize: [Int], stride: [Int]? = nil,
        padding: [(Int, Int)]? = nil, dilation: [Int]? = nil, groups: Int = 1, bias: Bool = true,
        key: RandomKey
    ) {
        let n = kernelSize.count
        self.stride = stride ?? Array(repeating: 1, count: n)
        self.padding = padding ?? Array(repeating: (0, 0), count: n)
        self.dilation = dilation ?? Array(repeating: 1, count: n)
        self.groups = groups
        let fanIn = inputChannels / groups * kernelSize.reduce(1, *)
        // PyTorch's `_ConvNd.reset_parameters`: kaiming_uniform_(a=√5) = U(±1/√fan_in), bias the same bound.
        let keys = key.split(into: 2)
        _weight = Parameter(
            wrappedValue: WeightInit.fanInUniform([outputChannels] + kernelSize + [inputChannels / groups], fanIn: fanIn, key: keys[0]),
            layout: .convolutionKernel)
        self.bias = bias ? WeightInit.fanInUniform([outputChannels], fanIn: fanIn, key: keys[1]) : nil
        super.init()
    }

    /// Symmetric padding as PyTorch's `padding=p` gives it.
    public convenience init(
        _ inputChannels: Int, _ outputChannels: Int, kernelSize: [Int], stride: [Int]? = nil, padding: [Int],
        dilation: [Int]? = nil, groups: Int = 1, bias: Bool = true, key: RandomKey
    ) {
        self.init(inputChannels, outputChannels, kernelSize: kernelSize, stride: stride, padding: padding.map { ($0, $0) },
                  dilation: dilation, groups: groups, bias: bias, key: key)
    }

    public var inputChannels: Int { weight.dim(-1) * groups }

    public func callAsFunction(_ x: Tensor) -> Tensor { self(x, adding: nil) }

    /// conv(x) + bias + `residual` (the residual folded into the convolution's output pass on the CPU).
    public func callAsFunction(_ x: Tensor, adding residual: Tensor?) -> Tensor {
        if x.failure != nil { return x }
        guard x.ndim == weight.ndim && x.dim(-1) == inputChannels else {
            return Tensor(failure: .shapeMismatch(
                "[Conv\(weight.ndim - 2)d] input \(x.shape) must be channels-last with \(inputChannels) channels"))
        }
        return x.convolved(with: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups, residual: residual)
    }
}
