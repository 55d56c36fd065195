// Reference: pandas' ParserError cases as opensora/datasets/utils.py@v1.2.0 (read_file) would raise them.

/// A CSV file that cannot be read as a table, naming the file and line.
public enum CSVError: Error, Equatable, CustomStringConvertible {
    case noHeader(source: String)
    case unterminatedQuote(source: String, line: Int)
    case tooManyFields(source: String, line: Int, found: Int, expected: Int)

    public var description: String {
        switch self {
        case .noHeader(let s): "\(s): empty file, expected a header row"
        case .unterminatedQuote(let s, let l): "\(s):\(l): a quoted field is never closed (expected a closing \")"
        case .tooManyFields(let s, let l, let n, let k): "\(s):\(l): \(n) fields, the header has \(k)"
        }
    }
}
