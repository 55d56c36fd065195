import Foundation

/// Where finished videos live: one folder per job under `<data-dir>/videos`, named by the job's UUID, so
/// every path the server touches is made from a validated id, never from request text.
struct VideoFolder: Sendable {
    let root: String

    init(root: String) throws {
        self.root = URL(fileURLWithPath: root).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
    }

    func folder(for id: VideoJobID) -> String { (root as NSString).appendingPathComponent(id.description) }

    /// Uploaded references, beside the videos (`uploads/` in the data folder), under server-made names.
    var uploads: String { ((root as NSString).deletingLastPathComponent as NSString).appendingPathComponent("uploads") }

    /// Whether `path` (read from the store) lies inside this job's folder.
    func contains(_ path: String, for id: VideoJobID) -> Bool {
        let standard = URL(fileURLWithPath: path).standardizedFileURL.path
        return standard.hasPrefix(folder(for: id) + "/")
    }

    func remove(_ id: VideoJobID) { try? FileManager.default.removeItem(atPath: folder(for: id)) }
}
