// Reference: shared/fixtures/parity/README.md (checkpoint.layout).
import Foundation
import OpenSora

extension ModelLayout {
    /// The layouts of a `checkpoint.layout` fixture file, by model name.
    public static func fromFixture(_ url: URL) throws -> [ModelLayout] {
        guard let data = FileManager.default.contents(atPath: url.path),
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let models = json["models"] as? [[String: Any]]
        else { throw ParityError.malformed(url.lastPathComponent, "not a checkpoint.layout file") }
        return models.map { m in
            let entries = (m["entries"] as? [[String: Any]] ?? []).map {
                Entry(name: $0["name"] as? String ?? "", shape: $0["shape"] as? [Int] ?? [], dtype: $0["dtype"] as? String ?? "",
                      kind: $0["kind"] as? String ?? "")
            }
            return ModelLayout(name: m["name"] as? String ?? "", entries: entries)
        }
    }
}
