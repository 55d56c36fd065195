// Reference: opensora/datasets/video_transforms.py@v1.2.0 (resize_crop_to_fill, tensor path; UCFCenterCropVideo:
// resize_scale + center_crop) and opensora/datasets/utils.py@v1.2.0 (resize_crop_to_fill, PIL path);
// spec/training.md §3.3, §13.1.
import OpenSora

/// Cover the target, then crop: scale so both sides reach (th, tw) with the other side
/// `round(side · ratio)` (Python's half-to-even), then take th × tw from the offset.
public struct ResizeCropToFill: Equatable, Sendable {
    /// How the crop offset halves the overhang: the tensor path's `int(round(sw − tw) / 2.0)` floors it,
    /// the PIL path's `int(round((sw − tw) / 2.0))` rounds it half to even.
    public enum OffsetRounding: Sendable { case floor, halfToEven }

    public let source: VideoSize
    public let target: VideoSize
    /// The size after scaling, before the crop.
    public let scaled: VideoSize
    public let top: Int
    public let left: Int
    /// torch's `scale_factor` when the resize was given one (the centre transform): the bilinear source
    /// step is then 1/scaleFactor, not input/output. nil: sized by output.
    public let scaleFactor: Double?

    public init(source: VideoSize, target: VideoSize, rounding: OffsetRounding) {
        let rh = Double(target.height) / Double(source.height), rw = Double(target.width) / Double(source.width)
        func half(_ overhang: Int) -> Int {
            switch rounding {
            case .floor: overhang / 2
            case .halfToEven: Int((Double(overhang) / 2).rounded(.toNearestOrEven))
            }
        }
        if rh > rw {
            scaled = VideoSize(height: target.height, width: Int((Double(source.width) * rh).rounded(.toNearestOrEven)))
            top = 0
            left = half(scaled.width - target.width)
        } else {
            scaled = VideoSize(height: Int((Double(source.height) * rw).rounded(.toNearestOrEven)), width: target.width)
            top = half(scaled.height - target.height)
            left = 0
        }
        self.source = source
        self.target = target
        scaleFactor = nil
    }

    /// The `center` transform (`UCFCenterCropVideo`, the VAE datasets'): scale by `s = th / min(h, w)`
    /// (`interpolate(scale_factor=s)`: sides `floor(side · s)`), then the centre crop with offsets
    /// `round((side − t) / 2)` half to even. The reference asserts a square target; another is covered by
    /// the larger of the two ratios, as the resize-crop does.
    public init(centreOf source: VideoSize, target: VideoSize) {
        let s = Swift.max(Double(target.height) / Double(source.height), Double(target.width) / Double(source.width))
        func side(_ n: Int, _ t: Int) -> Int { Swift.max(Int((Double(n) * s).rounded(.down)), t) }  // ≥ t: never crop past the edge
        scaled = VideoSize(height: side(source.height, target.height), width: side(source.width, target.width))
        top = Int((Double(scaled.height - target.height) / 2).rounded(.toNearestOrEven))
        left = Int((Double(scaled.width - target.width) / 2).rounded(.toNearestOrEven))
        self.source = source
        self.target = target
        scaleFactor = s
    }
}
