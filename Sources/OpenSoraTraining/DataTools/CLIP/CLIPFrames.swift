// Reference: tools/scoring/aesthetic/inference.py@v1.2.0 (VideoTextDataset: points (0.1, 0.5, 0.9), frame index
// int(p·N) with N the CSV's num_frames or the frame count, clamped to N−1); matching/inference.py (point 0.5);
// spec/tools.md §6, §9, §14.1.
import Foundation
import MLXTensor
import OpenSora

/// The frames the CLIP scores look at, preprocessed: for a video those at `points` of its length, for an image the image.
enum CLIPFrames {
    /// `int(p·N)` clamped to N − 1 for each point.
    static func indices(points: [Double], frameCount n: Int) -> [Int] {
        points.map { Swift.max(0, Swift.min(n - 1, Int($0 * Double(n)))) }
    }

    /// The row's frames as `[3, side, side]` CLIP pixels each. `csvFrameCount` (the table's `num_frames`) is N when
    /// given; an index past the decoded frames falls back to the first frame, as the reference's reader does.
    static func pixels(file: String, kind: MediaKind, points: [Double], csvFrameCount: Int?, side: Int) throws -> [[Float]] {
        guard FileManager.default.fileExists(atPath: file) else { throw DecodeFailure(message: "no such file") }
        let media = try DecodedMedia.decode(file, kind: kind)
        let chosen = kind == .image ? [0] : indices(points: points, frameCount: csvFrameCount ?? media.frameCount)
        return chosen.map { i in
            CLIPPreprocessing.pixels(media.frame(i < media.frameCount ? i : 0), size: media.size, side: side)
        }
    }

    /// The record's `num_frames`, when the table has a positive one.
    static func csvFrameCount(_ record: [String], column: Int?) -> Int? {
        column.flatMap { Int(record[$0]) ?? Double(record[$0]).map { Int($0) } }.flatMap { $0 > 0 ? $0 : nil }
    }
}

/// CLIP and its heads, run on the thread that loaded them (`ModelThread`): rows decode in parallel, the model
/// runs one row at a time.
final class CLIPRunner: @unchecked Sendable {
    let model: CLIPModel
    let head: AestheticHead?
    let thread = ModelThread()

    init(model: CLIPModel, head: AestheticHead?) { (self.model, self.head) = (model, head) }

    /// Normalised image embeddings of preprocessed frames, [frames, projection] (on the model's thread).
    private func imageEmbeddings(_ frames: [[Float]]) -> Tensor {
        let s = model.config.vision.imageSize
        return CLIPModel.normalized(model.imageEmbeddings(Tensor(frames.flatMap { $0 }, shape: [frames.count, 3, s, s])))
    }

    /// The aesthetic score of each frame.
    func aestheticScores(_ frames: [[Float]]) throws -> [Float] {
        guard let head else { throw OpenSoraError.invalidInput("no aesthetic head loaded") }
        return try thread.perform { try head(self.imageEmbeddings(frames)).eval().toArray() }
    }

    /// `logit_scale.exp() · cos(frame, text)` for one frame and one token row.
    func matchScore(_ frame: [Float], tokens: [Int32]) throws -> Float {
        try thread.perform {
            let text = self.model.textEmbeddings([tokens])
            return try self.model.logits(imageEmbeddings: self.imageEmbeddings([frame]), textEmbeddings: text).eval().toArray()[0]
        }
    }
}
