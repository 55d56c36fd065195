// Reference: OpenAI clip/clip.py (_transform: Resize(n, BICUBIC), CenterCrop(n), ToTensor,
// Normalize) with torchvision's Resize/CenterCrop rules on a PIL image; spec/tools.md §6.
import OpenSora

/// CLIP's image preprocessing: the short side resized to `side` with Pillow's BICUBIC (the long side
/// `int(side·long/short)`, truncated, as torchvision computes it), the centred square (offsets
/// `round((size − side)/2)`, half to even), /255 and CLIP's mean/std.
public enum CLIPPreprocessing {
    public static let mean: [Float] = [0.48145466, 0.4578275, 0.40821073]
    public static let std: [Float] = [0.26862954, 0.26130258, 0.27577711]

    /// The size torchvision's `Resize(side)` gives: short side `side`, long side truncated.
    public static func resizedSize(_ size: VideoSize, side: Int) -> VideoSize {
        if size.width <= size.height {
            return VideoSize(height: Int(Double(side) * Double(size.height) / Double(size.width)), width: side)
        }
        return VideoSize(height: side, width: Int(Double(side) * Double(size.width) / Double(size.height)))
    }

    /// Packed RGB bytes (HWC) of `size` → `[3, side, side]` normalised floats, channel-major.
    public static func pixels(_ rgb: [UInt8], size: VideoSize, side: Int) -> [Float] {
        let resized = resizedSize(size, side: side)
        let bytes = PILBicubicResize.resized(rgb, size: size, to: resized, filter: .bicubic)
        let top = Int((Double(resized.height - side) / 2).rounded(.toNearestOrEven))
        let left = Int((Double(resized.width - side) / 2).rounded(.toNearestOrEven))
        var out = [Float](repeating: 0, count: 3 * side * side)
        for y in 0..<side {
            for x in 0..<side {
                let source = ((y + top) * resized.width + x + left) * 3
                for c in 0..<3 {
                    out[(c * side + y) * side + x] = (Float(bytes[source + c]) / 255 - mean[c]) / std[c]
                }
            }
        }
        return out
    }
}
