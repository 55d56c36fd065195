// Reference: opensora/datasets/aspect.py@v1.2.0 (get_ar, AR, get_aspect_ratios_dict); spec/inference.md §3.
import Foundation
import OpenSora

extension ResolutionTable {
    /// `get_ar("H:W")`: int(H) / int(W).
    public static func ratioValue(_ name: String) throws -> Double {
        let parts = name.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let h = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let w = Int(parts[1].trimmingCharacters(in: .whitespaces)), w != 0
        else { throw OpenSoraError.invalidInput("aspect ratio '\(name)' is not H:W with integers (W ≠ 0), e.g. 9:16") }
        return Double(h) / Double(w)
    }

    /// `AR`: the ratio of every named aspect ratio, in the reference's order.
    public static var namedRatioValues: [Double] {
        aspectRatioNames.compactMap { try? ratioValue($0.name) }
    }

    /// `get_aspect_ratios_dict(ars, ts)`: `f"{a:.2f}"` → `get_h_w(a, ts)`; a repeated key keeps its first
    /// position and takes the last size, as a Python dict does.
    public static func estimatedSizes(ratios: [Double], pixels: Int) -> [(key: String, size: VideoSize)] {
        var out = [(key: String, size: VideoSize)]()
        for a in ratios {
            let key = String(format: "%.2f", a), size = heightWidth(ratio: a, pixels: Double(pixels))
            if let i = out.firstIndex(where: { $0.key == key }) { out[i].size = size } else { out.append((key, size)) }
        }
        return out
    }
}
