// Reference: rotary_embedding_torch 0.5.3 (RotaryEmbedding.rotate_queries_or_keys); spec/stdit3.md §5.11.
import Foundation
import MLXTensor
import NN

/// Rotary position embedding along the sequence axis (−2) with interleaved pairs (2i, 2i+1),
/// positions 0..L−1. `freqs` is a checkpoint parameter (`rope.freqs`), never trained.
public final class RotaryEmbedding: Module {
    @Parameter(trainable: false) public var freqs: Tensor

    public init(dimensions: Int, theta: Float = 10000) {
        let half = dimensions / 2
        super.init()
        freqs = Tensor((0..<half).map { i in 1 / Foundation.pow(theta, Float(2 * i) / Float(dimensions)) })
    }

    /// Rotates the last axis of `x` [..., L, D] by angle position·freqs[i] for pair i.
    public func callAsFunction(_ x: Tensor) -> Tensor { Self.rotate(x, freqs: freqs) }

    public static func rotate(_ x: Tensor, freqs: Tensor) -> Tensor {
        let shape = x.shape
        guard shape.count >= 2, let d = shape.last, d == 2 * freqs.count else {
            return Tensor(failure: .shapeMismatch("[rope] last axis of \(shape) must be 2 × \(freqs.count) frequencies"))
        }
        let length = shape[shape.count - 2]
        let angles = Tensor.arange(0, Double(length)).reshaped(length, 1) * freqs.asType(.float32).reshaped(1, -1)
        let cos = angles.cos().asType(x.dtype), sin = angles.sin().asType(x.dtype)
        let pairs = x.reshaped(Array(shape.dropLast()) + [d / 2, 2])
        let halves = pairs.split(parts: 2, axis: -1)
        let even = halves[0].squeezed([-1]), odd = halves[1].squeezed([-1])
        let rotated = Tensor.stack([even * cos - odd * sin, odd * cos + even * sin], axis: -1)
        return rotated.reshaped(shape)
    }
}
