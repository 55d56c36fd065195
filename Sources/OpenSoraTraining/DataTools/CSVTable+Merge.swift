// Reference: tools/datasets/datautil.py@v1.2.0 (read_data: every input concatenated, pd.concat's union of columns in
// first-seen order, a missing value empty; the name is the inputs' stems joined by "+").
import Foundation

extension CSVTable {
    /// The tables one after the other, over the union of their columns (first-seen order).
    public static func concatenating(_ tables: [CSVTable]) -> CSVTable {
        var header = [String]()
        for t in tables { for c in t.header where !header.contains(c) { header.append(c) } }
        let records = tables.flatMap { t in
            let map = header.map { t.index(of: $0) }
            return t.records.map { r in map.map { $0.map { r[$0] } ?? "" } }
        }
        return CSVTable(header: header, records: records)
    }

    /// The rows `keep` selects, in order.
    public func filtered(_ keep: ([String]) throws -> Bool) rethrows -> CSVTable {
        CSVTable(header: header, records: try records.filter(keep))
    }

    /// Column `name`'s values, or a typed error naming the file's columns.
    func column(_ name: String, in source: String) throws -> Int {
        guard let i = index(of: name) else { throw DataToolError.missingColumn(csv: source, column: name, found: header) }
        return i
    }
}
