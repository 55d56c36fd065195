// Reference: opensora/models/layers/blocks.py@v1.2.0 (TimestepEmbedder, SizeEmbedder); spec/stdit3.md §4.1–4.3.
import Foundation
import MLXTensor
import NN

/// Sinusoidal features of scalars (timesteps, fps): [cos(s·f), sin(s·f)] with
/// f_k = exp(−ln(10000)·k/half) — cos first, unlike the position embedding.
func frequencyEmbedding(_ s: Tensor, dimensions: Int = 256, maxPeriod: Float = 10000) -> Tensor {
    let half = dimensions / 2
    // float32 as the reference: (−ln(maxPeriod)·k)/half, then exp.
    let exponents = Tensor.arange(0, Double(half)) * Float(-Foundation.log(Double(maxPeriod))) / Float(half)
    let args = s.asType(.float32).reshaped(-1, 1) * exponents.exp().reshaped(1, half)
    return Tensor.concatenate([args.cos(), args.sin()], axis: -1)
}

/// Timestep t → 256 sinusoidal features → Linear → SiLU → Linear (`mlp.0`, `mlp.2`).
public class TimestepEmbedder: Module {
    public let mlp: Sequential
    public let frequencyDimensions: Int

    public init(hiddenSize: Int, frequencyDimensions: Int = 256) {
        self.frequencyDimensions = frequencyDimensions
        mlp = Sequential([Linear(frequencyDimensions, hiddenSize), SiLU(), Linear(hiddenSize, hiddenSize)])
        super.init()
    }

    /// [N] → [N, hidden]
    public func callAsFunction(_ t: Tensor) -> Tensor {
        let features = frequencyEmbedding(t, dimensions: frequencyDimensions)
        return mlp(features.asType(dtype))
    }

    var dtype: DType { (mlp.layers.first as? Linear)?.weight.dtype ?? .float32 }
}

/// The fps embedder: the same MLP over one scalar per sample; a column given for fewer rows than the
/// batch is tiled as whole blocks (rows 0..n−1, 0..n−1, …), which is how the CFG batch is formed.
public final class SizeEmbedder: TimestepEmbedder {
    /// `s` [n] or [n, 1] → [batch, hidden]; `batch` must be a multiple of n.
    public func callAsFunction(_ s: Tensor, batch: Int) -> Tensor {
        let column = s.reshaped(-1)
        let n = column.count
        guard n > 0, batch % n == 0 else {
            return Tensor(failure: .shapeMismatch("[SizeEmbedder] \(n) values cannot be tiled to batch \(batch)"))
        }
        return self(batch == n ? column : column.tiled([batch / n]))
    }
}
