// Reference: opensora/datasets/aspect.py@v1.2.0 (get_image_size, get_closest_ratio, get_num_pixels, get_h_w);
// spec/inference.md §3.
import Foundation

/// A frame size in pixels, height first as in the reference tables.
public struct VideoSize: Equatable, Hashable, Codable, Sendable, CustomStringConvertible {
    public var height: Int
    public var width: Int

    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }

    public var description: String { "\(height)x\(width)" }
}

/// Resolution names (144p … 4k, and the training tables 256 … 2880) and aspect-ratio names (H:W).
public enum ResolutionTable {
    /// Aspect-ratio names → table keys, in the reference's order. Names are **H:W** ("9:16" = landscape).
    public static let aspectRatioNames: [(name: String, key: String)] = [
        ("3:8", "0.38"), ("9:21", "0.43"), ("12:25", "0.48"), ("1:2", "0.50"), ("9:17", "0.53"), ("27:50", "0.54"),
        ("9:16", "0.56"), ("5:8", "0.62"), ("2:3", "0.67"), ("3:4", "0.75"), ("1:1", "1.00"), ("4:3", "1.33"),
        ("3:2", "1.50"), ("16:9", "1.78"), ("17:9", "1.89"), ("2:1", "2.00"), ("50:27", "2.08"),
    ]

    public static var resolutionNames: [String] { AspectRatioTables.resolutionNames }

    /// The names of the reference's ASPECT_RATIOS, in its order (the parity suite's constants).
    public static var referenceResolutionNames: [String] { AspectRatioTables.referenceResolutionNames }

    /// The (H, W) of a resolution and an aspect-ratio name.
    public static func imageSize(resolution: String, aspectRatio: String) throws -> VideoSize {
        guard let key = aspectRatioNames.first(where: { $0.name == aspectRatio })?.key else {
            throw OpenSoraError.invalidInput("unknown aspect ratio '\(aspectRatio)'; accepted (H:W): "
                + aspectRatioNames.map(\.name).joined(separator: ", "))
        }
        let rows = try table(resolution)
        guard let row = rows.first(where: { $0.key == key }) else {
            throw OpenSoraError.invalidInput("aspect ratio '\(aspectRatio)' is not available at resolution '\(resolution)'; "
                + "named aspect ratios work at 144p, 240p, 360p, 480p, 720p, 1080p, 2k, 4k")
        }
        return VideoSize(height: row.height, width: row.width)
    }

    /// The nominal pixel count of a resolution name.
    public static func pixelCount(_ resolution: String) throws -> Int {
        guard let n = AspectRatioTables.pixelCounts[resolution] else { throw unknown(resolution) }
        return n
    }

    /// The table key whose ratio is closest to height/width (the first such key in table order).
    public static func closestRatio(height: Double, width: Double, resolution: String) throws -> String {
        let ratio = height / width
        let rows = try table(resolution)
        var best = rows[0].key, bestDistance = Double.infinity
        for row in rows {
            let d = abs((Double(row.key) ?? .nan) - ratio)
            if d < bestDistance {
                best = row.key
                bestDistance = d
            }
        }
        return best
    }

    /// `get_h_w`: h = √(pixels·ratio) rounded to an even neighbour, w likewise from h/ratio.
    public static func heightWidth(ratio: Double, pixels: Double) -> VideoSize {
        func even(_ v: Double) -> Int {
            let v = v + 1e-4
            let up = Int(v.rounded(.up))
            return up % 2 == 0 ? up : Int(v.rounded(.down))
        }
        let h = even((pixels * ratio).squareRoot())
        return VideoSize(height: h, width: even(Double(h) / ratio))
    }

    /// The rows (key, H, W) of a resolution, in table order.
    public static func rows(_ resolution: String) throws -> [(key: String, size: VideoSize)] {
        try table(resolution).map { ($0.key, VideoSize(height: $0.height, width: $0.width)) }
    }

    static func table(_ resolution: String) throws -> [AspectRatioTables.Row] {
        guard let rows = AspectRatioTables.rows[resolution] else { throw unknown(resolution) }
        return rows
    }

    static func unknown(_ resolution: String) -> OpenSoraError {
        .invalidInput("unknown resolution '\(resolution)'; accepted: \(resolutionNames.joined(separator: ", "))")
    }
}
