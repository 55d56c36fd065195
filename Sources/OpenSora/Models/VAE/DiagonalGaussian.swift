// Reference: diffusers DiagonalGaussianDistribution; opensora/models/vae/utils.py@v1.2.0; spec/vae.md §3.3, §4.5.
import MLXTensor

/// A VAE posterior N(mean, exp(logvar)) with logvar clamped to [−30, 20]; `moments` holds mean then
/// logvar along `axis`.
public struct DiagonalGaussian {
    public let mean: Tensor
    public let logvar: Tensor

    public init(moments: Tensor, axis: Int) {
        // A failed input stays the failure on both halves (no split of a tensor without a shape).
        if moments.failure != nil {
            (mean, logvar) = (moments, moments)
            return
        }
        let halves = moments.split(parts: 2, axis: axis)
        mean = halves[0]
        logvar = halves[1].clipped(-30, 20)
    }

    public var std: Tensor { (logvar * 0.5).exp() }

    /// mean + std·noise (`noise` shaped like the mean).
    public func sample(noise: Tensor) -> Tensor { mean + std * noise }

    public func sample(key: RandomKey) -> Tensor { sample(noise: Tensor.normal(mean.shape, key: key, dtype: mean.dtype)) }

    /// KL(N(mean, var) ‖ N(0, 1)) per sample: 0.5·Σ(mean² + var − 1 − logvar) over every axis but 0.
    public func kl() -> Tensor {
        let terms = mean.square() + logvar.exp() - 1 - logvar
        return terms.sum(axes: Array(1..<mean.ndim)) * 0.5
    }
}
