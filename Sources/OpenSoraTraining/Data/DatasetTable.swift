// Reference: opensora/datasets/utils.py@v1.2.0 (read_file: pandas.read_csv) and datasets.py
// (VariableVideoTextDataset.__init__: id = row position); spec/training.md §1.
import Foundation

/// The rows of a training CSV, in file order (a row's position is its id for the sampler).
/// Relative paths resolve against the CSV's folder, so a dataset folder can move as a whole.
public struct DatasetTable: Equatable, Sendable {
    public static let requiredColumns = ["path", "text", "num_frames", "height", "width"]

    public let source: String
    public let rows: [DatasetRow]

    public init(rows: [DatasetRow], source: String = "<rows>") {
        self.rows = rows
        self.source = source
    }

    public init(contentsOf path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DatasetError.unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try self.init(parsing: text, source: path, baseFolder: folder)
    }

    /// From CSV text; columns in any order, any extra columns kept on each row.
    public init(parsing text: String, source: String = "<csv>", baseFolder: String) throws {
        let table = try CSVTable(parsing: text, source: source)
        var index = [String: Int]()
        for column in Self.requiredColumns {
            guard let i = table.index(of: column) else { throw DatasetError.missingColumn(column, source: source, found: table.header) }
            index[column] = i
        }
        guard !table.records.isEmpty else { throw DatasetError.empty(source: source) }
        var rows = [DatasetRow]()
        for (record, line) in zip(table.records, table.lines) {
            func value(_ c: String) -> String { index[c].map { record[$0] } ?? "" }
            func count(_ c: String, minimum: Int) throws -> Int {
                let raw = value(c).trimmingCharacters(in: .whitespaces)
                // pandas writes an integer column holding a missing value as floats ("51.0").
                if let n = Int(raw) ?? Double(raw).flatMap({ $0.rounded() == $0 && abs($0) < 1e15 ? Int($0) : nil }), n >= minimum { return n }
                throw DatasetError.invalidValue(source: source, line: line, column: c, value: raw, expected: "an integer ≥ \(minimum)")
            }
            let rawPath = value("path")
            guard !rawPath.isEmpty else {
                throw DatasetError.invalidValue(source: source, line: line, column: "path", value: "", expected: "a file path")
            }
            var extra = [String: String]()
            for (i, name) in table.header.enumerated() where !Self.requiredColumns.contains(name) { extra[name] = record[i] }
            rows.append(DatasetRow(path: Self.resolve(rawPath, against: baseFolder), text: value("text"),
                                   numFrames: try count("num_frames", minimum: 1), height: try count("height", minimum: 1),
                                   width: try count("width", minimum: 1), extra: extra))
        }
        self.init(rows: rows, source: source)
    }

    /// What the batch sampler takes: one `SampleInfo` per row, in order.
    public var sampleInfos: [SampleInfo] { rows.map(\.sampleInfo) }

    static func resolve(_ path: String, against folder: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: folder).appendingPathComponent(path).standardizedFileURL.path
    }
}
