// Reference: opensora/schedulers/rf/rectified_flow.py@v1.2.0 (RFlowScheduler), iddpm mean_flat;
// spec/rectified_flow.md §2–4.
import MLXTensor

/// The rectified-flow process: x_t = (1 − t/1000)·x0 + (t/1000)·ε with t = 1000 pure noise; the model
/// predicts the velocity x0 − ε.
public enum RectifiedFlow {
    public static let timestepCount: Float = 1000

    /// (1 − t/1000)·x0 + (t/1000)·noise, per sample (`t` [B]).
    public static func addNoise(_ x0: Tensor, noise: Tensor, t: Tensor) -> Tensor {
        let keep = (1 - t.asType(.float32) / timestepCount).reshaped([-1] + Array(repeating: 1, count: x0.ndim - 1))
        return keep * x0 + (1 - keep) * noise
    }

    /// How training draws timesteps (before the optional transform).
    public enum TimestepSampling: String, Sendable, CaseIterable {
        case uniform
        case logitNormal = "logit-normal"
    }

    /// Training timesteps in [0, 1000): uniform, or sigmoid(N(loc, scale²))·1000.
    public static func sampleTimesteps(batch: Int, method: TimestepSampling, key: RandomKey, loc: Float = 0,
                                       scale: Float = 1) -> Tensor {
        switch method {
        case .uniform: Tensor.uniform([batch], key: key) * timestepCount
        case .logitNormal: (Tensor.normal([batch], key: key) * scale + loc).sigmoid() * timestepCount
        }
    }

    /// The per-sample training loss: mean of (v − (x0 − ε))² over the first C output channels; with a
    /// frame mask [B, T] (false = conditioning frame, kept clean at t = 0), the mean runs over the
    /// masked-in frames only. Returns the loss [B], the model input x_t and the raw model output.
    public static func trainingLoss(
        x0: Tensor, noise: Tensor, t: Tensor, frameMask: Tensor? = nil,
        model: (_ xt: Tensor, _ t: Tensor, _ frameMask: Tensor?) throws -> Tensor
    ) throws -> (loss: Tensor, xt: Tensor, output: Tensor) {
        guard x0.ndim == 5, noise.shape == x0.shape, t.count == x0.dim(0) else {
            throw OpenSoraError.invalidInput("rectified flow: x0 \(x0.shape), noise \(noise.shape), t \(t.shape) do not match")
        }
        var xt = addNoise(x0, noise: noise, t: t)
        if let frameMask {
            let clean = addNoise(x0, noise: noise, t: Tensor.zeros(like: t))
            xt = Tensor.where(frameMask.asType(.bool).reshaped(x0.dim(0), 1, x0.dim(2), 1, 1), xt, clean)
        }
        let output = try model(xt, t, frameMask)
        let channels = x0.dim(1)
        let velocity = output[.all, 0..<channels]
        let error = (velocity - (x0 - noise)).square()
        let loss: Tensor
        if let frameMask {
            let m = frameMask.asType(.float32)
            let masked = error * m.reshaped(x0.dim(0), 1, x0.dim(2), 1, 1)
            let count = m.sum(axes: [1]) * Float(channels * x0.dim(3) * x0.dim(4))
            loss = masked.sum(axes: [1, 2, 3, 4]) / count
        } else {
            loss = error.mean(axes: [1, 2, 3, 4])
        }
        return (loss, xt, output)
    }
}
