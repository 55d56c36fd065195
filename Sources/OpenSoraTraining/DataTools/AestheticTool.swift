// Reference: tools/scoring/aesthetic/inference.py@v1.2.0 (CLIP ViT-L/14 image embedding, L2-normalised, through the
// MLP; a video's score the mean over frames at 10/50/90 %; column `aes`, output `{input}_aes.csv`); spec/tools.md §6.
// Rows that fail stay, with the reason in `error`.
import Foundation
import OpenSora

/// `data aesthetic`: the aesthetic score of every row's image or video.
public struct AestheticTool: @unchecked Sendable {
    public let model: CLIPModel
    public let head: AestheticHead
    /// Where in a video the frames are taken (fractions of its length).
    public var points: [Double] = [0.1, 0.5, 0.9]
    public var workers: Int
    /// Frames per forward pass (queued rows are scored together; the reference's `--bs` is 1024 on a GPU).
    public var batchSize = 64

    public init(model: CLIPModel, head: AestheticHead, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        (self.model, self.head, self.workers) = (model, head, workers)
    }

    /// The model folder (`--clip-path`) and the MLP file (`--aesthetic-path`), each checked with a typed error.
    public static func load(clipPath: String, aestheticPath: String, workers: Int) throws -> AestheticTool {
        AestheticTool(model: try CLIPModel.load(folder: clipPath), head: try AestheticHead.load(path: aestheticPath), workers: workers)
    }

    public func run(_ table: CSVTable, csvPath: String, output: String, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> CSVTable {
        let runner = CLIPRunner(model: model, head: head, batchSize: batchSize)
        let frames = table.index(of: "num_frames"), points = points
        let side = model.config.vision.imageSize
        let workers = workers
        return try runner.thread.serve {
            try ColumnTool(column: "aes", workers: workers).run(table, csvPath: csvPath, output: output, progress: progress) { file, record in
                let kind = try MediaKind.require(file)
                let pixels = try CLIPFrames.pixels(file: file, kind: kind, points: points,
                                                   csvFrameCount: CLIPFrames.csvFrameCount(record, column: frames), side: side)
                let scores = try runner.aestheticScores(pixels)
                return "\(Double(scores.reduce(0, +)) / Double(scores.count))"
            }
        }
    }

    public static func defaultOutput(for input: String) -> String { RowRunner.siblingOutput(of: input, suffix: "_aes") }
}
