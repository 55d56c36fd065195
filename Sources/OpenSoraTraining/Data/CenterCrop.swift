// Reference: opensora/datasets/utils.py@v1.2.0 (get_transforms_image "center" → center_crop_arr, ADM's centre crop);
// spec/training.md §13.1. Videos take `ResizeCropToFill(centreOf:)` (UCFCenterCropVideo).
import OpenSora

/// The `center` transform of an image (square targets, as the reference asserts): Pillow BOX halvings while the short
/// side is at least twice the target, BICUBIC to the target short side, then the centred square.
public enum CenterCrop {
    /// The halvings (`size // 2` while the short side ≥ 2·side), then the bicubic size `round(side · x / short)`
    /// (half to even) and the crop at `(x − side) // 2`.
    public static func imagePlan(source: VideoSize, side: Int) -> (halvings: [VideoSize], plan: ResizeCropToFill) {
        var size = source, halvings = [VideoSize]()
        while Swift.min(size.height, size.width) >= 2 * side {
            size = VideoSize(height: size.height / 2, width: size.width / 2)
            halvings.append(size)
        }
        let scale = Double(side) / Double(Swift.min(size.height, size.width))
        let scaled = VideoSize(height: Int((Double(size.height) * scale).rounded(.toNearestOrEven)),
                               width: Int((Double(size.width) * scale).rounded(.toNearestOrEven)))
        let plan = ResizeCropToFill(source: size, target: VideoSize(height: side, width: side), scaled: scaled,
                                    top: (scaled.height - side) / 2, left: (scaled.width - side) / 2)
        return (halvings, plan)
    }

    /// An RGB image through `imagePlan`, as `[3, 1, side, side]` in [−1, 1].
    static func imagePixels(_ rgb: [UInt8], size: VideoSize, side: Int) -> [Float] {
        let (halvings, plan) = imagePlan(source: size, side: side)
        var bytes = rgb, current = size
        for next in halvings {
            bytes = PILBicubicResize.resized(bytes, size: current, to: next, filter: .box)
            current = next
        }
        return PILBicubicResize.pixels(bytes, size: current, plan: plan)
    }
}

extension ResizeCropToFill {
    /// A resize-then-crop plan given outright, sized by output (the image centre crop's sizes follow other rules).
    init(source: VideoSize, target: VideoSize, scaled: VideoSize, top: Int, left: Int) {
        self.source = source
        self.target = target
        self.scaled = scaled
        self.top = top
        self.left = left
        scaleFactor = nil
    }
}
