// Reference: timm.models.vision_transformer.Mlp (fc1 → GELU(tanh) → fc2, no dropout, no norm).
import MLXTensor
import NN

/// timm's `Mlp` as STDiT3 uses it: `fc1`, tanh-GELU, `fc2`.
public final class FeedForward: Module, UnaryLayer {
    public let fc1: Linear
    public let fc2: Linear

    public init(inputDimensions: Int, hiddenDimensions: Int, outputDimensions: Int? = nil, key: RandomKey) {
        let keys = key.split(into: 2)
        fc1 = Linear(inputDimensions, hiddenDimensions, key: keys[0])
        fc2 = Linear(hiddenDimensions, outputDimensions ?? inputDimensions, key: keys[1])
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.failure != nil ? x : fc2(fc1(x).geluTanh()) }
}
