// The reference overlaps decoding with training through torch DataLoader workers (spec/training.md §2 step 4);
// here one background thread decodes ahead into a bounded buffer.
import Foundation

/// Produces elements `0, 1, …` on a background thread, at most `depth` ahead of the consumer, until the
/// producer returns nil or throws (the error reaches the consumer in order, then the stream ends).
final class Prefetcher<Element: Sendable>: @unchecked Sendable {
    private let state: PrefetchState<Element>

    init(depth: Int, produce: @escaping @Sendable (Int) throws -> Element?) {
        let state = PrefetchState<Element>(depth: Swift.max(1, depth))
        self.state = state
        let thread = Thread { state.run(produce) }
        thread.name = "opensora.prefetch"
        thread.start()
    }

    deinit { state.stop() }

    /// The next element, waiting for it to be decoded; nil at the end.
    func next() throws -> Element? { try state.next() }

    /// Ends the thread after the element it is producing; later `next()` calls return nil.
    func stop() { state.stop() }
}

/// What the thread and the consumer share, under one condition lock; the thread holds only this.
private final class PrefetchState<Element: Sendable>: @unchecked Sendable {
    let depth: Int
    let condition = NSCondition()
    var buffer = [Result<Element, any Error>]()
    var finished = false
    var stopped = false
    var exited = false

    init(depth: Int) { self.depth = depth }

    func run(_ produce: (Int) throws -> Element?) {
        var index = 0
        loop: while true {
            condition.lock()
            while buffer.count >= depth && !stopped { condition.wait() }
            let stop = stopped
            condition.unlock()
            if stop { break }
            let result = Result { try produce(index) }
            index += 1
            condition.lock()
            defer { condition.broadcast(); condition.unlock() }
            if stopped { break }
            switch result {
            case .success(let element?): buffer.append(.success(element))
            case .success(nil): finished = true; break loop
            case .failure(let error): buffer.append(.failure(error)); finished = true; break loop
            }
        }
        condition.lock()
        exited = true
        condition.broadcast()
        condition.unlock()
    }

    func next() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while buffer.isEmpty && !finished && !stopped { condition.wait() }
        guard !buffer.isEmpty, !stopped else { return nil }
        let first = buffer.removeFirst()
        condition.broadcast()
        return try first.get()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !exited { condition.wait() }
        condition.unlock()
    }
}
