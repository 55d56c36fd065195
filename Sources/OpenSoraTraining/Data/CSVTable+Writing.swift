// Reference: pandas.DataFrame.to_csv's defaults (index=False as the tools call it): minimal quoting — a field is quoted
// only when it holds the separator, a quote or a line break, quotes doubled — and "\n" after every row.
import Foundation
import MLXTensor

extension CSVTable {
    /// A table built in memory (tools that write CSVs); every record must have the header's width.
    public init(header: [String], records: [[String]]) {
        precondition(records.allSatisfy { $0.count == header.count }, "every CSV record needs \(header.count) fields")
        self.header = header
        self.records = records
        lines = records.indices.map { $0 + 2 }
    }

    /// The table as CSV text, as pandas writes it.
    public func serialized() -> String {
        func field(_ s: String) -> String {
            guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return ([header] + records).map { $0.map(field).joined(separator: ",") + "\n" }.joined()
    }

    /// The table with `values` as column `name`: replaced in place when present, else appended (pandas' assignment).
    public func setting(column name: String, to values: [String]) -> CSVTable {
        precondition(values.count == records.count)
        if let i = index(of: name) {
            return CSVTable(header: header, records: zip(records, values).map { r, v in var r = r; r[i] = v; return r })
        }
        return CSVTable(header: header + [name], records: zip(records, values).map { $0 + [$1] })
    }

    /// Writes the table atomically (temporary name, then rename).
    public func write(to path: String) throws {
        try AtomicFile.write(Data(serialized().utf8), to: path)
    }
}
