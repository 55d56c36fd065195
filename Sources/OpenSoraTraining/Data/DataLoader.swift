// Reference: scripts/train.py@v1.2.0 (the dataloader loop) with the reference's abort on a bad file replaced
// by skip, warn and count (DatasetReport); spec/training.md §2 step 4, §3.
import Foundation

/// Batches in request order, decoded `prefetchDepth` ahead on a background thread (0: on the caller's).
/// Failed rows are skipped with a warning and counted; a batch with no readable row is skipped whole;
/// once every row of the table has failed with none read, `next()` throws `DatasetError.noReadableRows`.
public final class DataLoader {
    public let dataset: TrainingDataset
    public private(set) var report = DatasetReport()
    private let requests: [BatchRequest]
    private let prefetcher: Prefetcher<Outcome>?
    private let warn: @Sendable (String) -> Void
    private var position = 0
    private var done = false
    /// Requests consumed so far, skipped batches included: where a resumed sampler continues.
    public private(set) var consumed = 0

    struct Outcome: Sendable {
        var batch: TrainingBatch?
        var failures: [SampleFailure]
    }

    public init(dataset: TrainingDataset, requests: [BatchRequest], prefetchDepth: Int = 2,
                warn: @escaping @Sendable (String) -> Void = DataLoader.warnOnStandardError) {
        self.dataset = dataset
        self.requests = requests
        self.warn = warn
        prefetcher = prefetchDepth > 0 ? Prefetcher(depth: prefetchDepth) { i in
            guard requests.indices.contains(i) else { return nil }
            let (batch, failures) = dataset.read(requests[i])
            return Outcome(batch: batch, failures: failures)
        } : nil
    }

    deinit { prefetcher?.stop() }

    /// The next batch with at least one readable sample, or nil after the last request.
    public func next() throws -> TrainingBatch? {
        while !done {
            guard let outcome = try fetch() else {
                done = true
                if report.samplesRead == 0, !report.failures.isEmpty { throw DatasetError.noReadableRows(report) }
                return nil
            }
            for failure in outcome.failures { warn("warning: \(failure)") }
            report.record(batchOf: outcome.batch?.count ?? 0, failures: outcome.failures)
            if report.samplesRead == 0, report.failedRows.count >= dataset.table.rows.count {
                stop()
                throw DatasetError.noReadableRows(report)
            }
            if let batch = outcome.batch { return batch }
        }
        return nil
    }

    /// Stops the background thread (after the batch it is decoding); `next()` then returns nil.
    public func stop() {
        done = true
        prefetcher?.stop()
    }

    private func fetch() throws -> Outcome? {
        if let prefetcher {
            let outcome = try prefetcher.next()
            if outcome != nil { consumed += 1 }
            return outcome
        }
        guard requests.indices.contains(position) else { return nil }
        defer { position += 1; consumed += 1 }
        let (batch, failures) = dataset.read(requests[position])
        return Outcome(batch: batch, failures: failures)
    }

    public static let warnOnStandardError: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

extension BatchRequest {
    /// One request per sampler batch, each with its own seed derived from `seed` and its position.
    public static func sequence(_ batches: some Sequence<SampledBatch>, seed: UInt64) -> [BatchRequest] {
        batches.enumerated().map { BatchRequest(batch: $1, seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64($0)) }
    }
}
