// Reference: opensora/datasets/datasets.py@v1.2.0 (VariableVideoTextDataset: path, text, get_data_info's
// num_frames/height/width); spec/training.md §1 (the columns and what the trainer ignores).
import Foundation

/// One CSV row, typed: the file (resolved against the CSV's folder), the caption, the size the bucket
/// sampler assigns by, and every other column kept as text (aes, flow, cmotion, fps, … as the tools wrote them).
public struct DatasetRow: Equatable, Sendable {
    public var path: String
    public var text: String
    public var numFrames: Int
    public var height: Int
    public var width: Int
    /// Optional columns by name, "" where missing.
    public var extra: [String: String]

    public init(path: String, text: String, numFrames: Int, height: Int, width: Int, extra: [String: String] = [:]) {
        self.path = path
        self.text = text
        self.numFrames = numFrames
        self.height = height
        self.width = width
        self.extra = extra
    }

    /// What the bucket sampler reads of the row.
    public var sampleInfo: SampleInfo { SampleInfo(numFrames: numFrames, height: height, width: width) }

    /// A numeric optional column (`aes`, `flow`, `fps`, …), nil when absent, empty or not a number.
    public func number(_ column: String) -> Double? { extra[column].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
}
