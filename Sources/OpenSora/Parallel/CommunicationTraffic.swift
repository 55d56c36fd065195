import Foundation

/// What a group's collectives sent from this process, counted as they are built: calls and bytes
/// by the ring algorithms MLX runs (an all-gather of n bytes over W processes sends (W−1)·n, an
/// all-sum 2·(W−1)/W·n). For benchmarks and the bytes-per-step figures in docs/PERFORMANCE.md.
public final class CommunicationTraffic: @unchecked Sendable {
    private let lock = NSLock()
    private var calls = [String: Int]()
    private var bytes = [String: Int]()

    public struct Snapshot: Sendable, Equatable {
        public let calls: [String: Int]
        public let bytesSent: [String: Int]
        public var totalBytesSent: Int { bytesSent.values.reduce(0, +) }
        public var totalCalls: Int { calls.values.reduce(0, +) }
    }

    func record(_ kind: String, bytes sent: Int) {
        lock.lock()
        calls[kind, default: 0] += 1
        bytes[kind, default: 0] += sent
        lock.unlock()
    }

    public var snapshot: Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return Snapshot(calls: calls, bytesSent: bytes)
    }

    public func reset() {
        lock.lock()
        calls = [:]
        bytes = [:]
        lock.unlock()
    }
}
