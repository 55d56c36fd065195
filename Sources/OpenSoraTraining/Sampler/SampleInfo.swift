// Reference: opensora/datasets/sampler.py@v1.2.0 (apply: num_frames, height, width, id of a data row);
// opensora/datasets/datasets.py@v1.2.0 (VariableVideoTextDataset: `id` is the row's position).

/// What the batch sampler needs of one data row; the row's position in the dataset is its id.
public struct SampleInfo: Equatable, Hashable, Sendable {
    public var numFrames: Int
    public var height: Int
    public var width: Int

    public init(numFrames: Int, height: Int, width: Int) {
        self.numFrames = numFrames
        self.height = height
        self.width = width
    }
}
