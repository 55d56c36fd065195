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
    public func callAsFunction(_ x: Tensor) -> Tensor { x.failure != nil ? x : Self.rotate(x, freqs: freqs) }

    public static func rotate(_ x: Tensor, freqs: Tensor) -> Tensor { x.rotatedPairs(freqs: freqs) }
}
