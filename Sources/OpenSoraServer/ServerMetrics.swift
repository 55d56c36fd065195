import Foundation

/// What `/metrics` reports in Prometheus' text format: jobs by state (from the store), sampling steps and their
/// time, finished jobs by outcome, and HTTP answers by status class.
final class ServerMetrics: @unchecked Sendable {
    private let lock = NSLock()
    private var steps = 0
    private var stepSeconds = 0.0
    private var lastStep: Date?
    private var finished: [String: Int] = [:]
    private var answers: [String: Int] = [:]

    /// A sampling step ended now; `first` marks the first step of a job (its time includes encoding the prompt).
    func step(first: Bool, now: Date = Date()) {
        lock.withLock {
            if !first, let last = lastStep {
                steps += 1
                stepSeconds += now.timeIntervalSince(last)
            }
            lastStep = now
        }
    }

    func jobFinished(_ state: JobState) { lock.withLock { finished[state.rawValue, default: 0] += 1; lastStep = nil } }

    func answered(status: Int) { lock.withLock { answers["\(status / 100)xx", default: 0] += 1 } }

    /// The exposition text; `jobs` are the store's current counts.
    func text(jobs: [JobState: Int]) -> String {
        lock.withLock {
            var out = "# HELP opensora_jobs Jobs in the queue by state.\n# TYPE opensora_jobs gauge\n"
            for state in JobState.allCases { out += "opensora_jobs{state=\"\(state.rawValue)\"} \(jobs[state] ?? 0)\n" }
            out += "# HELP opensora_jobs_finished_total Jobs finished since the server started, by outcome.\n# TYPE opensora_jobs_finished_total counter\n"
            for state in JobState.allCases where state.isFinished {
                out += "opensora_jobs_finished_total{state=\"\(state.rawValue)\"} \(finished[state.rawValue] ?? 0)\n"
            }
            out += "# HELP opensora_sampling_step_seconds Time of sampling steps (after a job's first).\n# TYPE opensora_sampling_step_seconds summary\n"
            out += "opensora_sampling_step_seconds_sum \(stepSeconds)\nopensora_sampling_step_seconds_count \(steps)\n"
            out += "# HELP opensora_http_responses_total HTTP answers by status class.\n# TYPE opensora_http_responses_total counter\n"
            for key in answers.keys.sorted() { out += "opensora_http_responses_total{status=\"\(key)\"} \(answers[key]!)\n" }
            return out
        }
    }
}
