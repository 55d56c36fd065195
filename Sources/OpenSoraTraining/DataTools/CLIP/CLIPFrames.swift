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

/// CLIP and its heads, run on the thread that loaded them (`ModelThread`). Rows decode in parallel and queue their
/// frames; the first row to reach the model thread runs everything queued, `batchSize` frames a forward pass, and
/// the rows behind it find their results done.
final class CLIPRunner: @unchecked Sendable {
    let model: CLIPModel
    let head: AestheticHead?
    let batchSize: Int
    let thread = ModelThread()
    private var queued: [(ticket: Int, frame: [Float], tokens: [Int32]?)] = []
    private var results: [Int: Float] = [:]
    private var nextTicket = 0
    private let lock = NSLock()

    init(model: CLIPModel, head: AestheticHead?, batchSize: Int) {
        (self.model, self.head, self.batchSize) = (model, head, Swift.max(1, batchSize))
    }

    /// The aesthetic score of each frame.
    func aestheticScores(_ frames: [[Float]]) throws -> [Float] {
        guard head != nil else { throw OpenSoraError.invalidInput("no aesthetic head loaded") }
        return try scores(frames.map { ($0, nil) })
    }

    /// `logit_scale.exp() · cos(frame, text)` for one frame and one token row.
    func matchScore(_ frame: [Float], tokens: [Int32]) throws -> Float { try scores([(frame, tokens)])[0] }

    private func scores(_ items: [([Float], [Int32]?)]) throws -> [Float] {
        let tickets = lock.withLock { () -> [Int] in
            items.map { item in
                defer { nextTicket += 1 }
                queued.append((nextTicket, item.0, item.1))
                return nextTicket
            }
        }
        try thread.perform { try self.runQueued() }
        return try lock.withLock {
            try tickets.map { t in
                guard let score = results.removeValue(forKey: t) else { throw OpenSoraError.invalidInput("[CLIPRunner] no score for a queued frame") }
                return score
            }
        }
    }

    /// Everything queued, in batches (on the model thread).
    private func runQueued() throws {
        let work = lock.withLock { () -> [(ticket: Int, frame: [Float], tokens: [Int32]?)] in
            defer { queued.removeAll() }
            return queued
        }
        let s = model.config.vision.imageSize
        for start in stride(from: 0, to: work.count, by: batchSize) {
            let batch = Array(work[start..<Swift.min(start + batchSize, work.count)])
            let pixels = Tensor(batch.flatMap(\.frame), shape: [batch.count, 3, s, s])
            let images = CLIPModel.normalized(model.imageEmbeddings(pixels))
            let scores: Tensor
            let rows = batch.compactMap(\.tokens)
            if rows.count == batch.count, let first = rows.first, rows.allSatisfy({ $0.count == first.count }) {
                let texts = CLIPModel.normalized(model.textEmbeddings(rows))
                scores = model.logitScale.exp() * (images * texts).sum(axes: [-1])
            } else if let head {
                scores = head(images)
            } else {
                throw OpenSoraError.invalidInput("[CLIPRunner] a batch mixes aesthetic and matching frames")
            }
            let values = try scores.eval().toArray()
            lock.withLock { for (item, v) in zip(batch, values) { results[item.ticket] = v } }
        }
    }
}
