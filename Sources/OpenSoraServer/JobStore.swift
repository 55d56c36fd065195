import Foundation
import GRDB
import OpenSora

/// The job queue in SQLite: every job, its options, state, timestamps and output, so the queue outlives the
/// process. Each method is one transaction, so the worker and the handlers never see half a change.
public final class JobStore: Sendable {
    let database: DatabaseQueue

    /// Opens (creating if needed) the queue at `path`.
    public init(path: String) throws {
        database = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs") { db in
            try db.execute(sql: """
                CREATE TABLE jobs (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    state TEXT NOT NULL,
                    options TEXT NOT NULL,
                    request TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    started_at REAL,
                    finished_at REAL,
                    step INTEGER NOT NULL DEFAULT 0,
                    total_steps INTEGER NOT NULL,
                    error TEXT,
                    output_path TEXT,
                    cancel_requested INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX jobs_by_state ON jobs(state, seq);
                """)
        }
        try migrator.migrate(database)
    }

    /// What `submit` did.
    public enum Submission: Equatable, Sendable {
        case queued(VideoJob)
        /// `capacity` jobs are already waiting.
        case full(capacity: Int)
    }

    /// Adds a queued job unless `capacity` jobs already wait.
    public func submit(options: ResolvedOptions, request: GenerationRequest, capacity: Int, now: Date = Date()) throws -> Submission {
        let job = VideoJob(id: VideoJobID(), state: .queued, options: options, request: request, createdAt: now, startedAt: nil,
                           finishedAt: nil, step: 0, totalSteps: request.steps * request.loops, error: nil, outputPath: nil,
                           cancelRequested: false)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let optionsJSON = String(decoding: try encoder.encode(options), as: UTF8.self)
        let requestJSON = String(decoding: try encoder.encode(request), as: UTF8.self)
        return try database.write { db in
            let waiting = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE state = 'queued'") ?? 0
            guard waiting < capacity else { return .full(capacity: capacity) }
            try db.execute(sql: """
                INSERT INTO jobs (id, state, options, request, created_at, total_steps) VALUES (?, 'queued', ?, ?, ?, ?)
                """, arguments: [job.id.description, optionsJSON, requestJSON, now.timeIntervalSince1970, job.totalSteps])
            return .queued(job)
        }
    }

    public func job(_ id: VideoJobID) throws -> VideoJob? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id.description]).map(Self.job(from:))
        }
    }

    /// A page of jobs, newest first, optionally in one state, and how many there are in all.
    public func list(state: JobState?, limit: Int, offset: Int) throws -> (jobs: [VideoJob], total: Int) {
        try database.read { db in
            let filter = state == nil ? "" : "WHERE state = ?"
            let args = state.map { StatementArguments([$0.rawValue]) } ?? StatementArguments()
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs \(filter)", arguments: args) ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM jobs \(filter) ORDER BY seq DESC LIMIT ? OFFSET ?",
                                        arguments: args + [limit, offset])
            return (try rows.map(Self.job(from:)), total)
        }
    }

    /// Jobs by state (for `/healthz`).
    public func counts() throws -> [JobState: Int] {
        try database.read { db in
            var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state") {
                let name: String = row["state"], n: Int = row["n"]
                if let state = JobState(rawValue: name) { counts[state] = n }
            }
            return counts
        }
    }

    /// The oldest queued job, now marked running (the worker's only way to take work, so none runs twice).
    func claimNext(now: Date = Date()) throws -> VideoJob? {
        try database.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE state = 'queued' ORDER BY seq LIMIT 1") else { return nil }
            var job = try Self.job(from: row)
            try db.execute(sql: "UPDATE jobs SET state = 'running', started_at = ?, step = 0 WHERE id = ?",
                           arguments: [now.timeIntervalSince1970, job.id.description])
            job.state = .running
            job.startedAt = now
            job.step = 0
            return job
        }
    }

    func recordStep(_ id: VideoJobID, step: Int) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE jobs SET step = ? WHERE id = ? AND state = 'running'", arguments: [step, id.description])
        }
    }

    func isCancelRequested(_ id: VideoJobID) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT cancel_requested FROM jobs WHERE id = ?", arguments: [id.description]) ?? true
        }
    }

    /// Ends a running job.
    func finish(_ id: VideoJobID, state: JobState, error: String? = nil, outputPath: String? = nil, now: Date = Date()) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE jobs SET state = ?, error = ?, output_path = ?, finished_at = ? WHERE id = ?",
                           arguments: [state.rawValue, error, outputPath, now.timeIntervalSince1970, id.description])
        }
    }

    /// Puts a running job back at its place in the queue (the server is stopping; it starts again next time).
    func requeue(_ id: VideoJobID) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE jobs SET state = 'queued', started_at = NULL, step = 0 WHERE id = ? AND state = 'running'",
                           arguments: [id.description])
        }
    }

    /// What `DELETE /v1/videos/{id}` did.
    public enum Removal: Equatable, Sendable {
        /// A queued job, cancelled before it started.
        case cancelled(VideoJob)
        /// A running job, asked to stop at its next step.
        case cancelling(VideoJob)
        /// A finished job, removed; its files are the caller's to delete.
        case deleted(VideoJob)
        case notFound
    }

    public func remove(_ id: VideoJobID, now: Date = Date()) throws -> Removal {
        try database.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id.description]) else { return .notFound }
            var job = try Self.job(from: row)
            switch job.state {
            case .queued:
                try db.execute(sql: "UPDATE jobs SET state = 'cancelled', error = ?, finished_at = ? WHERE id = ?",
                               arguments: ["cancelled before it started", now.timeIntervalSince1970, id.description])
                job.state = .cancelled
                job.error = "cancelled before it started"
                job.finishedAt = now
                return .cancelled(job)
            case .running:
                try db.execute(sql: "UPDATE jobs SET cancel_requested = 1 WHERE id = ?", arguments: [id.description])
                job.cancelRequested = true
                return .cancelling(job)
            case .succeeded, .failed, .cancelled:
                try db.execute(sql: "DELETE FROM jobs WHERE id = ?", arguments: [id.description])
                return .deleted(job)
            }
        }
    }

    /// At startup: a job still `running` was cut off by a crash (a clean stop re-queues it). Sampling restarts
    /// from scratch, so rather than run it a second time it is failed with the reason (or cancelled, if that
    /// was asked). Returns the jobs changed.
    public func recoverInterrupted(now: Date = Date()) throws -> [VideoJobID] {
        try database.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE state = 'running'")
            let jobs = try rows.map(Self.job(from:))
            for job in jobs {
                let (state, reason) = job.cancelRequested
                    ? (JobState.cancelled, "cancelled; the server stopped before the job did")
                    : (JobState.failed, "interrupted at step \(job.step)/\(job.totalSteps): the server stopped without finishing this job (crash or kill); submit it again")
                try db.execute(sql: "UPDATE jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?",
                               arguments: [state.rawValue, reason, now.timeIntervalSince1970, job.id.description])
            }
            return jobs.map(\.id)
        }
    }

    /// Test support and the crash path's reproduction: force a job's state as a crash would leave it.
    func forceState(_ id: VideoJobID, _ state: JobState, step: Int) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE jobs SET state = ?, step = ? WHERE id = ?", arguments: [state.rawValue, step, id.description])
        }
    }

    static func job(from row: Row) throws -> VideoJob {
        let idText: String = row["id"]
        let stateText: String = row["state"]
        guard let id = VideoJobID(idText), let state = JobState(rawValue: stateText) else {
            throw OpenSoraError.invalidConfiguration("job store: row with id '\(idText)' and state '\(stateText)' is corrupt")
        }
        let decoder = JSONDecoder()
        let optionsText: String = row["options"], requestText: String = row["request"]
        let started: Double? = row["started_at"], finished: Double? = row["finished_at"]
        return VideoJob(id: id, state: state,
                        options: try decoder.decode(ResolvedOptions.self, from: Data(optionsText.utf8)),
                        request: try decoder.decode(GenerationRequest.self, from: Data(requestText.utf8)),
                        createdAt: Date(timeIntervalSince1970: row["created_at"]),
                        startedAt: started.map(Date.init(timeIntervalSince1970:)),
                        finishedAt: finished.map(Date.init(timeIntervalSince1970:)),
                        step: row["step"], totalSteps: row["total_steps"], error: row["error"], outputPath: row["output_path"],
                        cancelRequested: row["cancel_requested"])
    }
}
