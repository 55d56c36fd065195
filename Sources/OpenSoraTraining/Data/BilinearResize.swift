// Reference: torch.nn.functional.interpolate(mode="bilinear", align_corners=False, antialias=False) on CPU
// (aten/src/ATen/native/UpSample.h: area_pixel_compute_source_index, guard_index_and_lambda), as
// opensora/datasets/video_transforms.py@v1.2.0 (resize) calls it on float frames in [0, 1].
import OpenSora

/// One axis of a bilinear resize: for each output index, the two source indices and their weights.
struct BilinearAxis {
    let index0: [Int]
    let index1: [Int]
    let lambda0: [Float]
    let lambda1: [Float]

    /// `scaleFactor`: torch's `scale_factor` when one was given (the step is its reciprocal).
    init(input: Int, output: Int, scaleFactor: Double? = nil) {
        var i0 = [Int](), i1 = [Int](), l0 = [Float](), l1 = [Float]()
        let scale = scaleFactor.map { Float(1 / $0) } ?? Float(input) / Float(output)
        for o in 0..<output {
            if input == output {
                i0.append(o); i1.append(o); l0.append(1); l1.append(0)
                continue
            }
            let real = Swift.max(scale * (Float(o) + 0.5) - 0.5, 0)
            let index = Swift.min(Int(real.rounded(.down)), input - 1)
            let lambda = Swift.min(Swift.max(real - Float(index), 0), 1)
            i0.append(index); i1.append(index + (index < input - 1 ? 1 : 0))
            l1.append(lambda); l0.append(1 - lambda)
        }
        (index0, index1, lambda0, lambda1) = (i0, i1, l0, l1)
    }
}

/// Frames resized with torch's bilinear rule and cropped, written as `[3, T, th, tw]` in [−1, 1].
enum BilinearResize {
    static func pixels(_ frames: [[UInt8]], size: VideoSize, plan: ResizeCropToFill) -> [Float] {
        let (h, w) = (size.height, size.width), (th, tw) = (plan.target.height, plan.target.width)
        let rows = BilinearAxis(input: h, output: plan.scaled.height, scaleFactor: plan.scaleFactor)
        let cols = BilinearAxis(input: w, output: plan.scaled.width, scaleFactor: plan.scaleFactor)
        let t = frames.count
        var out = [Float](repeating: 0, count: 3 * t * th * tw)
        for (f, rgb) in frames.enumerated() {
            for y in 0..<th {
                let sy = y + plan.top
                let r0 = rows.index0[sy] * w, r1 = rows.index1[sy] * w, h0 = rows.lambda0[sy], h1 = rows.lambda1[sy]
                for x in 0..<tw {
                    let sx = x + plan.left
                    let c0 = cols.index0[sx], c1 = cols.index1[sx], w0 = cols.lambda0[sx], w1 = cols.lambda1[sx]
                    for c in 0..<3 {
                        func v(_ p: Int) -> Float { Float(rgb[p * 3 + c]) / 255 }
                        let top = w0 * v(r0 + c0) + w1 * v(r0 + c1)
                        let bottom = w0 * v(r1 + c0) + w1 * v(r1 + c1)
                        let value = h0 * top + h1 * bottom
                        out[((c * t + f) * th + y) * tw + x] = (value - 0.5) / 0.5
                    }
                }
            }
        }
        return out
    }
}
