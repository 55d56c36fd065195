// Reference: opensora/utils/train_utils.py@v1.2.0 (MaskGenerator.get_masks stacks one mask per sample).
import MLXTensor

/// Per-sample frame masks `[B, T]` (true = generated, false = condition frame) and the type drawn for each.
public struct FrameMasks: Equatable, Sendable {
    public let frameCount: Int
    public let types: [MaskType]
    /// Row-major `[B, T]`.
    public let values: [Bool]

    public var batchSize: Int { types.count }

    public subscript(sample: Int) -> [Bool] { Array(values[(sample * frameCount)..<((sample + 1) * frameCount)]) }

    /// Bool `[B, T]`, the `x_mask` the model and the loss take.
    public var tensor: Tensor { Tensor(values, shape: [batchSize, frameCount]) }
}
