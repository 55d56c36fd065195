// Reference: opensora/datasets/datasets.py@v1.2.0 (VideoTextDataset.get_type); utils.py (VID_EXTENSIONS);
// torchvision.datasets.folder.IMG_EXTENSIONS.

/// Whether a row's file is read as a video or as one image, by its extension as the reference decides.
public enum MediaKind: String, Sendable {
    case video
    case image

    public static let videoExtensions = ["mp4", "avi", "mov", "mkv"]
    public static let imageExtensions = ["jpg", "jpeg", "png", "ppm", "bmp", "pgm", "tif", "tiff", "webp"]

    /// The kind for `path`, or nil for an extension the reference rejects ("Unsupported file format").
    public init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...].lowercased()
        if Self.videoExtensions.contains(ext) { self = .video } else if Self.imageExtensions.contains(ext) { self = .image } else { return nil }
    }
}
