// Reference: opensora/utils/train_utils.py@v1.2.0 (MaskGenerator.get_mask, get_masks); spec/training.md §8.
// The reference draws from Python's `random` and `torch.rand`; here every draw comes from an explicit key,
// so the types' frequencies and rules match while the particular masks differ.
import MLXTensor

/// Draws a frame mask per sample: a type by the configured ratios, then that type's rule.
public struct MaskGenerator: Sendable {
    public let ratios: MaskRatios

    public init(ratios: MaskRatios) { self.ratios = ratios }

    /// Masks for `batchSize` samples of `frameCount` (latent) frames, from one key.
    public func masks(batchSize: Int, frameCount: Int, key: RandomKey) throws -> FrameMasks {
        guard batchSize >= 0, frameCount >= 1 else { throw MaskGeneratorError.invalidShape(batch: batchSize, frames: frameCount) }
        guard batchSize > 0 else { return FrameMasks(frameCount: frameCount, types: [], values: []) }
        let width = 3 + frameCount
        let u = try Tensor.uniform([batchSize, width], key: key).toArray().map(Double.init)
        var types = [MaskType](), values = [Bool]()
        types.reserveCapacity(batchSize)
        values.reserveCapacity(batchSize * frameCount)
        for b in 0..<batchSize {
            let row = u[(b * width)..<((b + 1) * width)]
            let type = ratios.type(at: row[row.startIndex])
            let draws = MaskDraws(size: row[row.startIndex + 1], place: row[row.startIndex + 2], frames: Array(row.dropFirst(3)))
            types.append(type)
            values += try type.mask(frameCount: frameCount, draws: draws)
        }
        return FrameMasks(frameCount: frameCount, types: types, values: values)
    }
}
