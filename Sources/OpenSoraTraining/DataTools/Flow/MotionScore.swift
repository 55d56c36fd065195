// Reference: tools/scoring/optical_flow/inference.py@v1.2.0 — frames 0, 10, 20, 30 (clamped to the last), portrait
// clips transposed to landscape, resized to 320×576 (bilinear, align_corners=True), the flow of the three
// consecutive pairs, score = mean |flow| over both components, every pixel and the pairs; spec/tools.md §7, §14.2.
// The reference's flow model is UniMatch; ours by default is Farneback (weights-free), the same statistic.
import Foundation
import OpenSora

/// The optical-flow motion score of a clip, in pixels at 320×576.
public struct MotionScore: Sendable {
    public static let frameIndices = [0, 10, 20, 30]
    public static let size = (height: 320, width: 576)
    public var flow = FarnebackFlow()

    public init() {}

    /// The score from frames already decoded (any count ≥ 1), in their order.
    public func score(frames: [GrayPlane]) -> Double {
        let picked = Self.frameIndices.map { frames[min($0, frames.count - 1)] }.map { frame in
            (frame.height > frame.width ? frame.transposed() : frame).resizedAlignCorners(width: Self.size.width, height: Self.size.height)
        }
        let expanded = picked.map(flow.expansion(of:))
        let pairs = (0..<(picked.count - 1)).map { flow.flow(from: expanded[$0], to: expanded[$0 + 1]).meanAbsolute }
        return pairs.reduce(0, +) / Double(pairs.count)
    }

    /// Decodes the frames the score needs (up to frame 30) and scores them.
    public func score(path: String) throws -> Double {
        try score(frames: GrayFrames.read(path: path, keep: { $0 <= Self.frameIndices.last! }, stopAfter: Self.frameIndices.last!))
    }
}

/// Grayscale frames of a video at its own size, read through ffmpeg one at a time.
enum GrayFrames {
    /// The frames whose index passes `keep`, reading no further than `stopAfter`; `shortSide` scales larger frames
    /// down (aspect kept, even sides).
    static func read(path: String, keep: (Int) -> Bool, stopAfter: Int = .max, shortSide: Int? = nil) throws -> [GrayPlane] {
        var (_, size, _) = try VideoReader.probe(path, countFrames: false)
        guard size.width > 0, size.height > 0 else { throw FFmpeg.Failure(message: "no video stream") }
        if let shortSide, min(size.width, size.height) > shortSide {
            let f = Double(shortSide) / Double(min(size.width, size.height))
            size = VideoSize(height: max(2, Int(Double(size.height) * f / 2) * 2), width: max(2, Int(Double(size.width) * f / 2) * 2))
        }
        let stream = try FrameStream(path: path, size: size)
        var frames = [GrayPlane](), index = 0
        while index <= stopAfter, let rgb = try stream.next() {
            if keep(index) { frames.append(GrayPlane(rgb: rgb, width: size.width, height: size.height)) }
            index += 1
        }
        guard !frames.isEmpty else { throw FFmpeg.Failure(message: "no decodable frames") }
        return frames
    }
}
