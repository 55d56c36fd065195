import CMLX

/// Reductions over axes (all axes when none are given), scans, softmax and sorting.
extension Tensor {
    func reduce(_ op: cmlx_reduce_op, _ axes: [Int], _ keepDims: Bool) -> Tensor {
        withInt32(axes) { a, n in Tensor.op(self) { cmlx_reduce($0, op, self.handle, a, n, keepDims ? 1 : 0) } }
    }

    public func sum(axes: [Int] = [], keepDims: Bool = false) -> Tensor { reduce(CMLX_SUM, axes, keepDims) }
    public func mean(axes: [Int] = [], keepDims: Bool = false) -> Tensor { reduce(CMLX_MEAN, axes, keepDims) }
    public func max(axes: [Int] = [], keepDims: Bool = false) -> Tensor { reduce(CMLX_MAX, axes, keepDims) }
    public func min(axes: [Int] = [], keepDims: Bool = false) -> Tensor { reduce(CMLX_MIN, axes, keepDims) }
    public func prod(axes: [Int] = [], keepDims: Bool = false) -> Tensor { reduce(CMLX_PROD, axes, keepDims) }
    public func logSumExp(axes: [Int] = [], keepDims: Bool = false) -> Tensor { reduce(CMLX_LOGSUMEXP, axes, keepDims) }
    public func all(axes: [Int] = [], keepDims: Bool = false) -> Tensor { reduce(CMLX_ALL, axes, keepDims) }
    public func any(axes: [Int] = [], keepDims: Bool = false) -> Tensor { reduce(CMLX_ANY, axes, keepDims) }
    public func argMax(axis: Int, keepDims: Bool = false) -> Tensor { reduce(CMLX_ARGMAX, [axis], keepDims) }
    public func argMin(axis: Int, keepDims: Bool = false) -> Tensor { reduce(CMLX_ARGMIN, [axis], keepDims) }

    /// Variance with `ddof` degrees of freedom removed (0 = population, as PyTorch's `unbiased=False`).
    public func variance(axes: [Int] = [], keepDims: Bool = false, ddof: Int = 0) -> Tensor {
        withInt32(axes) { a, n in Tensor.op(self) { cmlx_var($0, self.handle, a, n, keepDims ? 1 : 0, cInt(ddof)) } }
    }

    public func cumsum(axis: Int, reverse: Bool = false, inclusive: Bool = true) -> Tensor {
        Tensor.op(self) { cmlx_cumsum($0, self.handle, cInt(axis), reverse ? 1 : 0, inclusive ? 1 : 0) }
    }

    /// Softmax over `axes`; `precise` computes in float32 for half inputs.
    public func softmax(axes: [Int] = [-1], precise: Bool = false) -> Tensor {
        if CPUKernels.applies(to: self), axes == [-1] || axes == [ndim - 1] { return kernelSoftmax() }
        return softmaxComposed(axes: axes, precise: precise)
    }

    /// MLX's own softmax (the reference for the CPU kernel).
    public func softmaxComposed(axes: [Int] = [-1], precise: Bool = false) -> Tensor {
        withInt32(axes) { a, n in Tensor.op(self) { cmlx_softmax($0, self.handle, a, n, precise ? 1 : 0) } }
    }

    public func sorted(axis: Int = -1) -> Tensor { Tensor.op(self) { cmlx_sort($0, self.handle, cInt(axis)) } }
    public func argSort(axis: Int = -1) -> Tensor { Tensor.op(self) { cmlx_argsort($0, self.handle, cInt(axis)) } }
}
