// Reference: tools/datasets/datautil.py@v1.2.0 (main: the operations in the code's fixed order); spec/tools.md §12,
// §13 (--merge-cmotion, --score-to-text). Numeric filters compare pandas-style: an empty (NaN) value fails every
// comparison, except --fpsmax, which keeps rows without an fps (images).
import Foundation
import OpenSora

/// The `datautil` operations on a dataset CSV, applied in the reference's order.
public struct DatasetFilter: Sendable {
    public var difference: CSVTable?
    public var intersection: CSVTable?
    /// Keep rows whose file exists (`--ext`).
    public var existingFilesOnly = false
    public var removeURL = false
    public var removeEmptyPath = false
    public var removeEmptyCaption = false
    public var removePathDuplication = false
    public var pathSubset: String?
    public var relpath: String?
    public var abspath: String?
    public var pathToID = false
    public var mergeCameraMotion = false
    public var appendText: String?
    public var scoreToText = false
    public var cleanCaption = false
    public var sort: String?
    public var sortAscending: String?
    public var fmin: Int?
    public var fmax: Int?
    public var fpsmax: Double?
    public var hwmax: Int?
    public var aesmin: Double?
    public var matchmin: Double?
    public var flowmin: Double?
    public var removeTextDuplication = false
    public var imagesOnly = false
    public var videosOnly = false
    public var shuffle = false
    public var head: Int?
    public var trainColumns = false
    public var seed: UInt64 = 42

    public static let trainColumnNames = ["path", "text", "num_frames", "fps", "height", "width", "aspect_ratio", "resolution", "text_len"]
    /// `--merge-cmotion`'s labels (the CoTracker detector's); any other label is an error, as the reference's KeyError.
    public static let cameraMotionText = ["static": "static", "pan_right": "pan right", "pan_left": "pan left", "zoom_in": "zoom in",
                                          "zoom_out": "zoom out", "tilt_up": "tilt up", "tilt_down": "tilt down"]

    public init() {}

    /// Applies every set operation to `table` (read from `source`, named in errors).
    public func apply(to table: CSVTable, source: String) throws -> CSVTable {
        var data = table
        func col(_ name: String) throws -> Int { try data.column(name, in: source) }
        if let difference {
            let q = try difference.column("path", in: "--difference")
            let drop = Set(difference.records.map { $0[q] })
            let p = try col("path")
            data = data.filtered { !drop.contains($0[p]) }
        }
        if let intersection { data = try Self.innerJoin(data, intersection, source: source) }
        if existingFilesOnly {
            let p = try col("path")
            data = data.filtered { FileManager.default.fileExists(atPath: $0[p]) }
        }
        if removeURL {
            let t = try col("text")
            data = data.filtered { $0[t].range(of: #"https?://[^\s]+"#, options: .regularExpression) == nil }
        }
        if removeEmptyPath { let p = try col("path"); data = data.filtered { !$0[p].isEmpty } }
        if removeEmptyCaption { let t = try col("text"); data = data.filtered { !$0[t].isEmpty } }
        if removePathDuplication { data = try Self.dropDuplicates(data, column: col("path")) }
        if let pathSubset {
            let p = try col("path")
            data = data.filtered { $0[p].range(of: pathSubset, options: .regularExpression) != nil }
        }
        if let relpath { data = try Self.mapping(data, col("path")) { Self.relativePath($0, to: relpath) } }
        if let abspath { data = try Self.mapping(data, col("path")) { ($0.hasPrefix("/") ? $0 : (abspath as NSString).appendingPathComponent($0)) } }
        if pathToID {
            let p = try col("path")
            data = data.setting(column: "id", to: data.records.map { (($0[p] as NSString).lastPathComponent as NSString).deletingPathExtension })
        }
        if mergeCameraMotion { data = try mergingCameraMotion(data, source: source) }
        if let appendText { data = try Self.mapping(data, col("text")) { $0 + appendText } }
        if scoreToText { data = try scoresToText(data, source: source) }
        if cleanCaption { data = try Self.mapping(data, col("text")) { PromptCleaner.preprocess($0) } }
        if let sort { data = try Self.sorted(data, column: col(sort), ascending: false) }
        if let sortAscending { data = try Self.sorted(data, column: col(sortAscending), ascending: true) }
        if removeEmptyCaption { let t = try col("text"); data = data.filtered { !$0[t].isEmpty } }
        if let fmin { data = try Self.numeric(data, col("num_frames")) { $0 >= Double(fmin) } }
        if let fmax { data = try Self.numeric(data, col("num_frames")) { $0 <= Double(fmax) } }
        if let fpsmax { data = try Self.numeric(data, col("fps"), keepEmpty: true) { $0 <= fpsmax } }
        if let hwmax {
            if data.index(of: "resolution") == nil {
                let h = try col("height"), w = try col("width")
                data = data.setting(column: "resolution", to: data.records.map { r in
                    guard let a = Double(r[h]), let b = Double(r[w]) else { return "" }
                    return "\(a * b)"
                })
            }
            data = try Self.numeric(data, col("resolution")) { $0 <= Double(hwmax) }
        }
        if let aesmin { data = try Self.numeric(data, col("aes")) { $0 >= aesmin } }
        if let matchmin { data = try Self.numeric(data, col("match")) { $0 >= matchmin } }
        if let flowmin { data = try Self.numeric(data, col("flow")) { $0 >= flowmin } }
        if removeTextDuplication { data = try Self.dropDuplicates(data, column: col("text")) }
        if imagesOnly || videosOnly {
            let p = try col("path")
            data = data.filtered { r in (MediaKind(path: r[p]) == .image) == imagesOnly }
        }
        if shuffle {
            var rng = NumPyRandom(seed: seed)
            var records = data.records
            for i in stride(from: records.count - 1, to: 0, by: -1) { records.swapAt(i, Int(rng.nextUInt64() % UInt64(i + 1))) }
            data = CSVTable(header: data.header, records: records)
        }
        if let head { data = CSVTable(header: data.header, records: Array(data.records.prefix(max(0, head)))) }
        if trainColumns {
            let keep = data.header.indices.filter { Self.trainColumnNames.contains(data.header[$0]) }
            data = CSVTable(header: keep.map { data.header[$0] }, records: data.records.map { r in keep.map { r[$0] } })
        }
        return data
    }

    /// `np.array_split`: `n` consecutive parts, the first `count % n` one row longer.
    public static func shards(_ table: CSVTable, into n: Int) -> [CSVTable] {
        let base = table.records.count / n, extra = table.records.count % n
        var start = 0
        return (0..<n).map { i in
            let size = base + (i < extra ? 1 : 0)
            defer { start += size }
            return CSVTable(header: table.header, records: Array(table.records[start..<(start + size)]))
        }
    }

    // MARK: - The operations

    /// pd.merge(on="path", how="inner") with the other table's new columns.
    static func innerJoin(_ data: CSVTable, _ other: CSVTable, source: String) throws -> CSVTable {
        let p = try data.column("path", in: source), q = try other.column("path", in: "--intersection")
        let added = other.header.indices.filter { !data.header.contains(other.header[$0]) }
        var byPath = [String: [[String]]]()
        for r in other.records { byPath[r[q], default: []].append(r) }
        let records = data.records.flatMap { r in (byPath[r[p]] ?? []).map { o in r + added.map { o[$0] } } }
        return CSVTable(header: data.header + added.map { other.header[$0] }, records: records)
    }

    static func dropDuplicates(_ data: CSVTable, column: Int) -> CSVTable {
        var seen = Set<String>()
        return data.filtered { seen.insert($0[column]).inserted }
    }

    static func mapping(_ data: CSVTable, _ column: Int, _ f: (String) -> String) -> CSVTable {
        CSVTable(header: data.header, records: data.records.map { r in var r = r; r[column] = f(r[column]); return r })
    }

    /// Rows whose value parses as a number satisfying `keep` (an empty value fails, or passes with `keepEmpty`).
    static func numeric(_ data: CSVTable, _ column: Int, keepEmpty: Bool = false, _ keep: (Double) -> Bool) -> CSVTable {
        data.filtered { r in Double(r[column]).map { $0.isNaN ? keepEmpty : keep($0) } ?? (r[column].isEmpty && keepEmpty) }
    }

    /// sort_values: numerically when every non-empty value is a number, else as text; empty values last; stable.
    static func sorted(_ data: CSVTable, column: Int, ascending: Bool) -> CSVTable {
        let values = data.records.map { $0[column] }
        let numeric = values.allSatisfy { $0.isEmpty || Double($0) != nil }
        let order = data.records.indices.sorted { a, b in
            let x = values[a], y = values[b]
            if x.isEmpty != y.isEmpty { return y.isEmpty }
            if !x.isEmpty {
                if numeric, let dx = Double(x), let dy = Double(y), dx != dy { return ascending ? dx < dy : dx > dy }
                if !numeric, x != y { return ascending ? x < y : x > y }
            }
            return a < b
        }
        return CSVTable(header: data.header, records: order.map { data.records[$0] })
    }

    static func relativePath(_ path: String, to root: String) -> String {
        let p = URL(fileURLWithPath: path).standardizedFileURL.pathComponents, r = URL(fileURLWithPath: root).standardizedFileURL.pathComponents
        var common = 0
        while common < min(p.count, r.count), p[common] == r[common] { common += 1 }
        let parts = Array(repeating: "..", count: r.count - common) + p[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    func mergingCameraMotion(_ data: CSVTable, source: String) throws -> CSVTable {
        let t = try data.column("text", in: source), c = try data.column("cmotion", in: source)
        return CSVTable(header: data.header, records: try data.records.map { r in
            guard let text = Self.cameraMotionText[r[c]] else {
                throw DataToolError.unknownCameraMotion(r[c], accepted: Self.cameraMotionText.keys.sorted())
            }
            var r = r
            r[t] += " Camera motion: \(text)."
            return r
        })
    }

    /// `--score-to-text`: " [aesthetic score: A, motion score: F]", each part kept with probability 0.8 (seeded here;
    /// the reference draws from Python's unseeded `random`).
    func scoresToText(_ data: CSVTable, source: String) throws -> CSVTable {
        let t = try data.column("text", in: source), aes = data.index(of: "aes"), flow = data.index(of: "flow")
        var rng = NumPyRandom(seed: seed &+ 1)
        return CSVTable(header: data.header, records: data.records.map { r in
            var parts = [String]()
            if let aes, let v = Double(r[aes]), rng.random() < 0.8 { parts.append(String(format: "aesthetic score: %.1f", v)) }
            if let flow, let v = Double(r[flow]), rng.random() < 0.8 { parts.append(String(format: "motion score: %.1f", v)) }
            var r = r
            if !parts.isEmpty { r[t] += " [" + parts.joined(separator: ", ") + "]" }
            return r
        })
    }
}
