// Counts what the loader read and skipped (the reference has no such report: it stops at the first bad file).

/// Samples read and rows skipped so far, with each failure in the order met.
public struct DatasetReport: Equatable, Sendable, CustomStringConvertible {
    public private(set) var samplesRead = 0
    public private(set) var batchesRead = 0
    public private(set) var failures = [SampleFailure]()
    /// Distinct rows that failed at least once.
    public private(set) var failedRows = Set<Int>()

    public init() {}

    /// Failures per reason category ("missing", "corrupt", "too short", "unsupported").
    public var counts: [String: Int] { failures.reduce(into: [:]) { $0[$1.reason.category, default: 0] += 1 } }

    mutating func record(batchOf samples: Int, failures new: [SampleFailure]) {
        samplesRead += samples
        if samples > 0 { batchesRead += 1 }
        failures += new
        for f in new { failedRows.insert(f.row) }
    }

    public var description: String {
        let parts = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        return "\(samplesRead) samples read in \(batchesRead) batches; \(failures.count) skipped"
            + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
    }
}
