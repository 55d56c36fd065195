// Reference: opensora/datasets/utils.py@v1.2.0 (temporal_random_crop), video_transforms.py (TemporalRandomCrop);
// spec/training.md §3.1 step 2.

/// Which frames of a clip a sample takes: a window of `frameCount · frameInterval` frames from a random
/// start, `frameCount` indices spread over it by `np.linspace(begin, end − 1, T)` truncated.
public struct TemporalCrop: Equatable, Sendable {
    public let frameCount: Int
    public let frameInterval: Int

    public init(frameCount: Int, frameInterval: Int = 1) {
        self.frameCount = frameCount
        self.frameInterval = frameInterval
    }

    /// Starts the reference may draw: `0 ... max(0, total − size − 1)` (its `− 1` leaves the last start unused).
    public func starts(totalFrames: Int) -> ClosedRange<Int> {
        0...Swift.max(0, totalFrames - frameCount * frameInterval - 1)
    }

    /// The frame indices from `begin`; nil when the window holds fewer than `frameCount` frames (the
    /// reference's "Not enough frames to sample" assertion). A clip shorter than the window but not than
    /// `frameCount` is squeezed into it, as the reference does.
    public func indices(totalFrames: Int, begin: Int) -> [Int]? {
        let end = Swift.min(begin + frameCount * frameInterval, totalFrames)
        guard frameCount >= 1, begin >= 0, end - begin >= frameCount else { return nil }
        return Self.linspace(Double(begin), Double(end - 1), count: frameCount).map { Int($0.rounded(.down)) }
    }

    /// `np.linspace(start, stop, num)`: `i · step + start`, the last set to `stop`.
    static func linspace(_ start: Double, _ stop: Double, count: Int) -> [Double] {
        guard count > 1 else { return count == 1 ? [start] : [] }
        let step = (stop - start) / Double(count - 1)
        var values = (0..<count).map { step == 0 ? start : Double($0) * step + start }
        values[count - 1] = stop
        return values
    }
}
