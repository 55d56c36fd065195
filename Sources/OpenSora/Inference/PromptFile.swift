// Reference: scripts/inference.py@v1.2.0 (load_prompts: one prompt per line); spec/inference.md §6.1.
import Foundation

/// A `--prompt-path` file: one prompt per line. Each failure says why (missing, a folder, unreadable,
/// not UTF-8, empty), since "cannot read" alone leaves the user guessing.
public enum PromptFile {
    public static func read(_ path: String) throws -> [String] {
        func fail(_ why: String) -> OpenSoraError { .invalidInput("cannot read --prompt-path '\(path)': \(why)") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw fail("no such file") }
        guard !isFolder.boolValue else { throw fail("it is a folder; give a text file with one prompt per line") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw fail("permission denied") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw fail(error.localizedDescription) }
        guard let text = String(data: data, encoding: .utf8) else {
            let offset = firstInvalidUTF8(data).map { " (first invalid byte at offset \($0))" } ?? ""
            throw fail("it is not UTF-8 text\(offset)")
        }
        var lines = text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw fail("it holds no prompts") }
        return lines
    }

    static func firstInvalidUTF8(_ data: Data) -> Int? {
        var offset = 0
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): offset += String(s).utf8.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
