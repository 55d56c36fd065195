// Reference: tools/scoring/matching/inference.py@v1.2.0 (CLIP ViT-L/14; a video's middle frame; clip.tokenize(text,
// truncate=True); logit_scale.exp()·cos; column `match`, output `{input}_match.csv`); spec/tools.md §9.
// Rows that fail stay, with the reason in `error`.
import Foundation
import OpenSora

/// `data matching`: how well every row's `text` matches its image or the middle frame of its video (N the decoded
/// frame count: unlike the aesthetic score, the reference does not pass the CSV's `num_frames` here).
public struct MatchingTool: @unchecked Sendable {
    public let model: CLIPModel
    public let tokenizer: CLIPTokenizer
    /// Where in a video the frame is taken (a fraction of its length).
    public var points: [Double] = [0.5]
    public var workers: Int
    /// Frames per forward pass (queued rows are scored together; the reference's `--bs` is 1024 on a GPU).
    public var batchSize = 64

    public init(model: CLIPModel, tokenizer: CLIPTokenizer, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        (self.model, self.tokenizer, self.workers) = (model, tokenizer, workers)
    }

    /// The model and tokenizer of one Hugging Face CLIP folder (`--clip-path`).
    public static func load(clipPath: String, workers: Int) throws -> MatchingTool {
        let model = try CLIPModel.load(folder: clipPath)
        return MatchingTool(model: model, tokenizer: try CLIPTokenizer(folder: clipPath), workers: workers)
    }

    public func run(_ table: CSVTable, csvPath: String, output: String, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> CSVTable {
        guard let textColumn = table.index(of: "text") else {
            throw DataToolError.missingColumn(csv: csvPath, column: "text", found: table.header)
        }
        let runner = CLIPRunner(model: model, head: nil, batchSize: batchSize), tokenizer = tokenizer
        let points = points
        let side = model.config.vision.imageSize
        let workers = workers
        return try runner.thread.serve {
            try ColumnTool(column: "match", workers: workers).run(table, csvPath: csvPath, output: output, progress: progress) { file, record in
                let kind = try MediaKind.require(file)
                let pixels = try CLIPFrames.pixels(file: file, kind: kind, points: points, csvFrameCount: nil, side: side)
                return "\(Double(try runner.matchScore(pixels[0], tokens: tokenizer.encode(record[textColumn]))))"
            }
        }
    }

    public static func defaultOutput(for input: String) -> String { RowRunner.siblingOutput(of: input, suffix: "_match") }
}
