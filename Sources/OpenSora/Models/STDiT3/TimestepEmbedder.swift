// Reference: opensora/models/layers/blocks.py@v1.2.0 (TimestepEmbedder, SizeEmbedder); spec/stdit3.md §4.1–4.3.
import Foundation
import MLXTensor
import NN

/// Sinusoidal features of scalars (timesteps, fps): [cos(s·f), sin(s·f)] with
/// f_k = exp(−ln(10000)·k/half) — cos first, unlike the position embedding.
public func frequencyEmbedding(_ s: Tensor, dimensions: Int = 256, maxPeriod: Float = 10000) -> Tensor {
    let half = dimensions / 2
    let freqs = Tensor(TimestepFrequencies.table(half: half, maxPeriod: maxPeriod), shape: [1, half])
    let args = s.asType(.float32).reshaped(-1, 1) * freqs
    return Tensor.concatenate([args.cos(), args.sin()], axis: -1)
}

/// The reference's frequency table, bit for bit: at t in the thousands one float32 ulp of a frequency
/// is t·ulp ≈ 1e-4 in cos(t·f) (spec/stdit3.md §4.1), so the table is built on the host the way torch does.
enum TimestepFrequencies {
    /// exp(float32(−ln(maxPeriod))·k / half), each step rounded to float32 as torch's CPU ops round.
    static func table(half: Int, maxPeriod: Float) -> [Float] {
        let scale = Float(-Foundation.log(Double(maxPeriod)))
        return (0..<half).map { k in torchExp(scale * Float(k) / Float(half)) }
    }

    /// torch.exp on float32 (MKL's vsExp): correctly rounded except for a few inputs, where it lands one
    /// ulp up. Those of the models' table (half 128, max period 10000; measured with torch 2.15 on every
    /// CPU dispatch level) are listed by input bits; every other entry of that table is the rounded value.
    static func torchExp(_ x: Float) -> Float {
        if let bits = torchRoundedUp[x.bitPattern] { return Float(bitPattern: bits) }
        return Float(Foundation.exp(Double(x)))
    }

    static let torchRoundedUp: [UInt32: UInt32] = [
        0xBF5D_0C55: 0x3ED7_E89B,  // k = 12 of 128: exp(−0.8635) = 0.42169650 (rounded: 0.42169648)
        0xC0F4_12F3: 0x39FF_4FAD,  // k = 106 of 128: exp(−7.6273) = 4.8696753e-4 (rounded: 4.8696750e-4)
    ]
}

/// Timestep t → 256 sinusoidal features → Linear → SiLU → Linear (`mlp.0`, `mlp.2`).
public class TimestepEmbedder: Module {
    public let mlp: Sequential
    public let frequencyDimensions: Int

    public init(hiddenSize: Int, frequencyDimensions: Int = 256, key: RandomKey) {
        self.frequencyDimensions = frequencyDimensions
        let keys = key.split(into: 2)
        mlp = Sequential([Linear(frequencyDimensions, hiddenSize, key: keys[0]), SiLU(),
                          Linear(hiddenSize, hiddenSize, key: keys[1])])
        super.init()
    }

    /// [N] → [N, hidden]
    public func callAsFunction(_ t: Tensor) -> Tensor {
        if t.failure != nil { return t }
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
        if s.failure != nil { return s }
        let column = s.reshaped(-1)
        let n = column.count
        guard n > 0, batch % n == 0 else {
            return Tensor(failure: .shapeMismatch("[SizeEmbedder] \(n) values cannot be tiled to batch \(batch)"))
        }
        return self(batch == n ? column : column.tiled([batch / n]))
    }
}
