// Reference: opensora/datasets/aspect.py@v1.2.0 (ASPECT_RATIOS, ASPECT_RATIO_MAP); gradio/app.py (camera motion
// choices); spec/inference.md §3, spec/surfaces.md §3.

/// A resolution name of the reference's tables (144p … 4k, and the training tables 256 … 2880).
public struct Resolution: RawRepresentable, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    public init?(rawValue: String) {
        guard AspectRatioTables.rows[rawValue] != nil else { return nil }
        self.rawValue = rawValue
    }

    /// Throws naming the accepted names.
    public init(_ name: String) throws {
        guard let r = Resolution(rawValue: name) else { throw ResolutionTable.unknown(name) }
        self = r
    }

    public static var allCases: [Resolution] { ResolutionTable.resolutionNames.compactMap(Resolution.init(rawValue:)) }
    public var description: String { rawValue }
}

/// An aspect-ratio name, **H:W** as the reference spells them ("9:16" is landscape).
public struct AspectRatio: RawRepresentable, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    public init?(rawValue: String) {
        guard ResolutionTable.aspectRatioNames.contains(where: { $0.name == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    public static var allCases: [AspectRatio] { ResolutionTable.aspectRatioNames.compactMap { AspectRatio(rawValue: $0.name) } }
    public var description: String { rawValue }
}

extension ResolutionTable {
    /// The (H, W) of a resolution at an aspect ratio (the names are valid; the pair may still not exist).
    public static func imageSize(_ resolution: Resolution, _ aspectRatio: AspectRatio) throws -> VideoSize {
        try imageSize(resolution: resolution.rawValue, aspectRatio: aspectRatio.rawValue)
    }
}

/// The camera motions the reference's demo offers; appended to the prompt as "camera motion: …".
public enum CameraMotion: String, Codable, Sendable, CaseIterable {
    case panRight = "pan right", panLeft = "pan left", tiltUp = "tilt up", tiltDown = "tilt down"
    case zoomIn = "zoom in", zoomOut = "zoom out"
    case `static`
}
