// Reference: torch.nn.BatchNorm2d/3d (`_BatchNorm.forward`, F.batch_norm): training normalises by the batch's
// biased variance and updates the running statistics with the unbiased one, momentum 0.1, eps 1e-5.
import MLXTensor

/// BatchNorm over channels-last input `[N, spatial…, C]`: statistics per channel over every other axis.
/// The running statistics are state_dict buffers (`running_mean`, `running_var`, `num_batches_tracked`).
public final class BatchNorm: Module, UnaryLayer {
    @OptionalParameter public var weight: Tensor?
    @OptionalParameter public var bias: Tensor?
    @Parameter(key: "running_mean", buffer: true) public var runningMean: Tensor
    @Parameter(key: "running_var", buffer: true) public var runningVar: Tensor
    /// int64, as torch keeps it.
    @Parameter(key: "num_batches_tracked", buffer: true) public var batchesTracked: Tensor
    public let eps: Float
    public let momentum: Float
    /// Off while a forward is only recomputed (e.g. for a gradient), so the statistics move once per real pass.
    public var updatesStatistics = true

    public init(_ channels: Int, eps: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true) {
        (self.eps, self.momentum) = (eps, momentum)
        weight = affine ? Tensor.ones([channels]) : nil
        bias = affine ? Tensor.zeros([channels]) : nil
        _runningMean = Parameter(wrappedValue: Tensor.zeros([channels]), key: "running_mean", buffer: true)
        _runningVar = Parameter(wrappedValue: Tensor.ones([channels]), key: "running_var", buffer: true)
        _batchesTracked = Parameter(wrappedValue: Tensor.zeros([], dtype: .int64), key: "num_batches_tracked", buffer: true)
        super.init()
    }

    /// Training mode: batch statistics (and, when `updatesStatistics`, a running-statistics update);
    /// evaluation mode: the running statistics.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        guard x.ndim >= 2, x.dim(-1) == runningMean.dim(0) else {
            return Tensor(failure: .shapeMismatch("[BatchNorm] input \(x.shape) must be channels-last with \(runningMean.dim(0)) channels"))
        }
        let axes = Array(0..<(x.ndim - 1))
        let mean: Tensor, variance: Tensor
        if isTraining {
            mean = x.mean(axes: axes)
            variance = (x - mean).square().mean(axes: axes)
            if updatesStatistics { track(mean: mean, variance: variance, count: x.count / x.dim(-1)) }
        } else {
            (mean, variance) = (runningMean.asType(x.dtype), runningVar.asType(x.dtype))
        }
        var y = (x - mean) / (variance + eps).sqrt()
        if let weight { y = y * weight }
        if let bias { y = y + bias }
        return y
    }

    /// running = (1 − momentum)·running + momentum·batch, with the variance made unbiased (n/(n−1)).
    func track(mean: Tensor, variance: Tensor, count: Int) {
        let m = mean.stopGradient().asType(runningMean.dtype)
        let unbiased = variance.stopGradient().asType(runningVar.dtype) * (Float(count) / Float(Swift.max(count - 1, 1)))
        runningMean = (1 - momentum) * runningMean + momentum * m
        runningVar = (1 - momentum) * runningVar + momentum * unbiased
        batchesTracked = batchesTracked + Tensor.ones([], dtype: .int64)
    }
}
