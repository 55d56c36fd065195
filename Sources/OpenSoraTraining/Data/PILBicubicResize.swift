// Reference: Pillow's Image.resize(size, Image.BICUBIC) on RGB (src/libImaging/Resample.c: precompute_coeffs,
// normalize_coeffs_8bpc, ImagingResampleHorizontal_8bpc / Vertical_8bpc), as resize_crop_to_fill in
// opensora/datasets/utils.py@v1.2.0 calls it for images: antialiased (support widens when shrinking),
// 22-bit fixed-point weights, horizontal pass then vertical, each rounded to uint8. The BOX filter is the one
// center_crop_arr (utils.py, ADM's centre crop) halves large images with.
import OpenSora

/// One axis of Pillow's resampling: per output index, the first source index and fixed-point weights.
struct PILAxis {
    /// Pillow's filters used here, with their support at scale 1.
    enum Filter {
        case bicubic, box

        var support: Double { self == .bicubic ? 2 : 0.5 }

        func weight(_ x: Double) -> Double {
            switch self {
            case .bicubic: PILAxis.bicubic(x)
            case .box: x > -0.5 && x <= 0.5 ? 1 : 0
            }
        }
    }

    static let precisionBits = 22
    let first: [Int]
    let weights: [[Int]]

    init(input: Int, output: Int, filter: Filter = .bicubic) {
        let scale = Double(input) / Double(output), filterScale = Swift.max(scale, 1)
        let support = filter.support * filterScale
        var first = [Int](), weights = [[Int]]()
        for o in 0..<output {
            let center = (Double(o) + 0.5) * scale
            let lo = Swift.max(Int(center - support + 0.5), 0)
            let hi = Swift.min(Int(center + support + 0.5), input)
            var k = (lo..<Swift.max(hi, lo)).map { filter.weight((Double($0) - center + 0.5) / filterScale) }
            let sum = k.reduce(0, +)
            if sum != 0 { k = k.map { $0 / sum } }
            first.append(lo)
            weights.append(k.map { w in
                let scaled = w * Double(1 << Self.precisionBits)
                return Int(w < 0 ? scaled - 0.5 : scaled + 0.5)
            })
        }
        self.first = first
        self.weights = weights
    }

    /// Pillow's bicubic_filter (a = −0.5).
    static func bicubic(_ x: Double) -> Double {
        let a = -0.5, x = abs(x)
        if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
        return 0
    }

    /// `sum(pixel · weight)` rounded (the 1 << 21 bias) and clipped to a byte.
    func apply(_ o: Int, _ pixel: (Int) -> UInt8) -> UInt8 {
        var s = 1 << (Self.precisionBits - 1)
        for (i, k) in weights[o].enumerated() { s += Int(pixel(first[o] + i)) * k }
        return UInt8(Swift.min(Swift.max(s >> Self.precisionBits, 0), 255))
    }
}

/// An RGB image resized as Pillow's BICUBIC would, then cropped by `plan`; `[3, 1, th, tw]` in [−1, 1].
enum PILBicubicResize {
    static func pixels(_ rgb: [UInt8], size: VideoSize, plan: ResizeCropToFill) -> [Float] {
        let (h, w) = (size.height, size.width), (th, tw) = (plan.target.height, plan.target.width)
        // Horizontal pass (skipped when the width is unchanged, as Pillow does), only the kept columns.
        var wide = [UInt8](repeating: 0, count: h * tw * 3)
        let cols = plan.scaled.width == w ? nil : PILAxis(input: w, output: plan.scaled.width)
        for y in 0..<h {
            for x in 0..<tw {
                for c in 0..<3 {
                    let sx = x + plan.left
                    wide[(y * tw + x) * 3 + c] = cols?.apply(sx) { rgb[(y * w + $0) * 3 + c] } ?? rgb[(y * w + sx) * 3 + c]
                }
            }
        }
        let rows = plan.scaled.height == h ? nil : PILAxis(input: h, output: plan.scaled.height)
        var out = [Float](repeating: 0, count: 3 * th * tw)
        for y in 0..<th {
            let sy = y + plan.top
            for x in 0..<tw {
                for c in 0..<3 {
                    let byte = rows?.apply(sy) { wide[($0 * tw + x) * 3 + c] } ?? wide[(sy * tw + x) * 3 + c]
                    out[(c * th + y) * tw + x] = (Float(byte) / 255 - 0.5) / 0.5
                }
            }
        }
        return out
    }
}


extension PILBicubicResize {
    /// `Image.resize(size, filter)` on uint8 RGB: the whole image, horizontal pass then vertical (each skipped
    /// when its side is unchanged), as bytes.
    static func resized(_ rgb: [UInt8], size: VideoSize, to out: VideoSize, filter: PILAxis.Filter) -> [UInt8] {
        let (h, w) = (size.height, size.width)
        var wide = rgb
        if out.width != w {
            let cols = PILAxis(input: w, output: out.width, filter: filter)
            wide = [UInt8](repeating: 0, count: h * out.width * 3)
            for y in 0..<h { for x in 0..<out.width { for c in 0..<3 { wide[(y * out.width + x) * 3 + c] = cols.apply(x) { rgb[(y * w + $0) * 3 + c] } } } }
        }
        guard out.height != h else { return wide }
        let rows = PILAxis(input: h, output: out.height, filter: filter)
        var tall = [UInt8](repeating: 0, count: out.height * out.width * 3)
        for y in 0..<out.height {
            for x in 0..<out.width { for c in 0..<3 { tall[(y * out.width + x) * 3 + c] = rows.apply(y) { wide[($0 * out.width + x) * 3 + c] } } }
        }
        return tall
    }
}
