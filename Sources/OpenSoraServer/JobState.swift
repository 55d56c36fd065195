/// Where a job is in its life: waiting, on the worker, or finished one of three ways.
public enum JobState: String, Codable, Sendable, CaseIterable {
    case queued, running, succeeded, failed, cancelled

    /// Nothing more will happen to it; DELETE removes it rather than cancelling it.
    public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
}
