// Added (not in the reference): MLX's streams belong to the thread that made the model (see OpenSoraServer's
// JobWorker), so the per-file tools decode on RowRunner's workers and send the model's work back to that thread.
import Foundation
import OpenSora

/// The calling thread as a serial executor: `serve(while:)` runs the work other threads `perform`, until the job ends.
final class ModelThread: @unchecked Sendable {
    private var pending: [() -> Void] = []
    private var finished = false
    private let lock = NSLock()
    private let ready = DispatchSemaphore(value: 0)

    /// Runs `body` on the serving thread and waits for its result (from a worker thread).
    func perform<T>(_ body: @escaping () throws -> T) throws -> T {
        let result = Outcome<T>(), done = DispatchSemaphore(value: 0)
        lock.withLock { pending.append { result.value = Result { try body() }; done.signal() } }
        ready.signal()
        done.wait()
        return try result.get()
    }

    /// Runs `job` on a background thread while this thread serves its `perform` calls; returns the job's result.
    func serve<T>(while job: @escaping @Sendable () throws -> T) throws -> T {
        let outcome = Outcome<T>()
        DispatchQueue.global().async { [self] in
            outcome.value = Result { try job() }
            lock.withLock { finished = true }
            ready.signal()
        }
        while true {
            ready.wait()
            let (work, over) = lock.withLock { () -> ([() -> Void], Bool) in
                defer { pending.removeAll() }
                return (pending, finished)
            }
            work.forEach { $0() }
            if over && work.isEmpty { break }
        }
        return try outcome.get()
    }
}

/// A result handed from one thread to another; the semaphore that follows the write orders it before the read.
private final class Outcome<T>: @unchecked Sendable {
    var value: Result<T, Error>?

    func get() throws -> T {
        guard let value else { throw OpenSoraError.invalidInput("[ModelThread] no result was produced") }
        return try value.get()
    }
}
