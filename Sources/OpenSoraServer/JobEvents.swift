import Foundation
import Hummingbird

/// `GET /v1/videos/{id}/events`: server-sent events of one job — an `update` event (the job as GET returns it) each
/// time its state or step changes, read from the job store every `interval` seconds, ending with its final state.
struct JobEvents: Sendable {
    let store: JobStore
    var interval: TimeInterval = 0.2
    /// The stream ends after this long even if the job has not finished (a client reconnects).
    var maximumDuration: TimeInterval = 3600

    func response(for id: VideoJobID) throws -> Response {
        guard try store.job(id) != nil else { throw APIError.notFound("no job \(id)") }
        let store = store, interval = interval, limit = maximumDuration
        let body = ResponseBody { writer in
            var last: (JobState, Int)?
            let deadline = Date().addingTimeInterval(limit)
            var sequence = 0
            while Date() < deadline {
                guard let job = try store.job(id) else {
                    try await writer.write(ByteBuffer(string: "event: deleted\ndata: {\"id\":\"\(id)\"}\n\n"))
                    break
                }
                if last.map({ $0 != job.state || $1 != job.step }) ?? true {
                    last = (job.state, job.step)
                    sequence += 1
                    try await writer.write(ByteBuffer(string: "id: \(sequence)\nevent: update\ndata: \(Self.json(VideoJobResponse(job)))\n\n"))
                }
                if job.state.isFinished { break }
                try await Task.sleep(nanoseconds: UInt64(interval * 1e9))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    /// One line of JSON (an SSE `data:` field ends at a line break).
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
