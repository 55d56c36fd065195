// Reference: pandas.read_csv's defaults as opensora/datasets/utils.py@v1.2.0 (read_file) uses them: a header
// row, comma separators, RFC 4180 quoting (doubled quotes, separators and newlines inside quotes), blank lines
// skipped, short rows padded with missing values, long rows an error.

/// A parsed CSV file: the header and each record's fields ("" for a missing value).
public struct CSVTable: Equatable, Sendable {
    public let header: [String]
    public let records: [[String]]
    /// The 1-based line where each record starts (for error messages).
    public let lines: [Int]

    public init(parsing text: String, source: String = "<csv>") throws {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var rows = [[String]](), starts = [Int]()
        var fields = [String](), field = [UInt8](), quoted = false, fieldWasQuoted = false
        var line = 1, recordLine = 1, i = 0, quoteLine = 1
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            // A blank line is one empty unquoted field: pandas skips it.
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(fields); starts.append(recordLine) }
            fields.removeAll()
        }
        while i < bytes.count {
            let c = bytes[i]
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") { field.append(c); i += 1 } else { quoted = false }
                } else {
                    if c == UInt8(ascii: "\n") { line += 1 }
                    field.append(c)
                }
            } else if c == UInt8(ascii: "\"") && field.isEmpty && !fieldWasQuoted {
                quoted = true
                fieldWasQuoted = true
                quoteLine = line
            } else if c == UInt8(ascii: ",") {
                endField()
            } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                if c == UInt8(ascii: "\r"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                endRecord()
                line += 1
                recordLine = line
            } else {
                field.append(c)
            }
            i += 1
        }
        if quoted { throw CSVError.unterminatedQuote(source: source, line: quoteLine) }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        guard let header = rows.first else { throw CSVError.noHeader(source: source) }
        var records = [[String]]()
        for (row, start) in zip(rows.dropFirst(), starts.dropFirst()) {
            guard row.count <= header.count else {
                throw CSVError.tooManyFields(source: source, line: start, found: row.count, expected: header.count)
            }
            records.append(row + Array(repeating: "", count: header.count - row.count))
        }
        self.header = header
        self.records = records
        self.lines = Array(starts.dropFirst())
    }

    /// The index of `column` in the header, or nil.
    public func index(of column: String) -> Int? { header.firstIndex(of: column) }
}
