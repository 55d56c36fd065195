import Foundation
import OpenSora

/// One submitted video as the queue stores it and the API shows it.
public struct VideoJob: Sendable, Equatable {
    public var id: VideoJobID
    public var state: JobState
    /// The options the client asked for, with every default resolved (what the video was made with).
    public var options: ResolvedOptions
    /// What the worker runs.
    public var request: GenerationRequest
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Sampling steps done of `totalSteps` (all loops together).
    public var step: Int
    public var totalSteps: Int
    public var error: String?
    /// The finished file, inside the server's videos folder.
    public var outputPath: String?
    public var cancelRequested: Bool
}

/// The API's view of a job (snake_case JSON).
struct VideoJobResponse: Encodable {
    let id: String
    let state: JobState
    let created_at: String
    let started_at: String?
    let finished_at: String?
    let step: Int
    let total_steps: Int
    let error: String?
    let cancel_requested: Bool
    let content_url: String?
    let options: ResolvedOptions

    init(_ job: VideoJob) {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        id = job.id.description
        state = job.state
        created_at = iso.string(from: job.createdAt)
        started_at = job.startedAt.map(iso.string(from:))
        finished_at = job.finishedAt.map(iso.string(from:))
        step = job.step
        total_steps = job.totalSteps
        error = job.error
        cancel_requested = job.cancelRequested
        content_url = job.state == .succeeded ? "/v1/videos/\(job.id)/content" : nil
        options = job.options
    }
}
