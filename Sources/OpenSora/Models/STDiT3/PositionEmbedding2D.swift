// Reference: opensora/models/layers/blocks.py@v1.2.0 (PositionEmbedding2D); spec/stdit3.md §4.4.
import Foundation
import MLXTensor

/// The fixed 2-D sin-cos embedding of the patch grid, [1, H·W, C]. The first C/2 channels encode the
/// column coordinate, the second C/2 the row (the reference's meshgrid swap); each half is
/// [sin, cos]. Coordinates are index/scale·base_size/(H or W), in float32 in the reference's order.
public enum PositionEmbedding2D {
    public static func embedding(dimensions: Int, height h: Int, width w: Int, scale: Double, baseSize: Int?) -> Tensor {
        let half = dimensions / 2, quarter = half / 2
        // inv_freq[k] = 1 / 10000^((2k)/half), float32 ops
        let invFreq: [Float] = (0..<quarter).map { k in 1 / Foundation.pow(Float(10000), Float(2 * k) / Float(half)) }
        func coordinates(_ n: Int) -> [Float] {
            let factor = baseSize.map { Float(Double($0) / Double(n)) }
            return (0..<n).map { i in
                let c = Float(i) / Float(scale)
                return factor.map { c * $0 } ?? c
            }
        }
        func sincos(_ p: Float) -> [Float] {
            let args = invFreq.map { p * $0 }
            return args.map { Foundation.sin($0) } + args.map { Foundation.cos($0) }
        }
        let rows = coordinates(h).map(sincos), columns = coordinates(w).map(sincos)
        var values = [Float]()
        values.reserveCapacity(h * w * dimensions)
        for i in 0..<h {
            for j in 0..<w { values += columns[j] + rows[i] }
        }
        return Tensor(values, shape: [1, h * w, dimensions])
    }
}
