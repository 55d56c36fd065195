// Reference: tools/datasets/convert.py@v1.2.0 (`video`: path, id, relpath of every video file under ROOT, recursive;
// `image`: id, path of every image); spec/tools.md §2. Ours lists in sorted order (the reference's is arbitrary) and
// writes absolute paths (the reference joins ROOT as given), so the CSV reads the same from any folder.
import Foundation

/// `data convert video|image ROOT`: the media files under a folder as an Open-Sora CSV.
public enum MediaListing {
    public static func table(root: String, kind: MediaKind) throws -> CSVTable {
        let root = URL(fileURLWithPath: root).standardizedFileURL.path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue,
              let walker = FileManager.default.enumerator(atPath: root) else { throw DataToolError.notAFolder(root) }
        var relpaths = [String]()
        while let relpath = walker.nextObject() as? String {
            if MediaKind(path: relpath) == kind { relpaths.append(relpath) }
        }
        relpaths.sort()
        let rows = relpaths.map { rel -> (id: String, path: String, rel: String) in
            let name = (rel as NSString).lastPathComponent
            return ((name as NSString).deletingPathExtension, (root as NSString).appendingPathComponent(rel), rel)
        }
        switch kind {
        case .video: return CSVTable(header: ["path", "id", "relpath"], records: rows.map { [$0.path, $0.id, $0.rel] })
        case .image: return CSVTable(header: ["id", "path"], records: rows.map { [$0.id, $0.path] })
        }
    }
}
