import Foundation

/// Turns a hang on a dead or absent peer into an error: MLX's collectives block until every rank
/// takes part, so a rank that died (or never connected) would stall the others forever. Building a
/// collective arms the watchdog, a completed evaluation (a sampler or training step) settles it;
/// armed for `timeout` seconds, the process prints which rank gave up, and while doing what, and
/// exits with status 75. Files are written atomically (temp name, then rename), so nothing
/// half-written is left behind. Work without collectives (VAE decoding, saving) is never timed.
public final class PeerWatchdog: @unchecked Sendable {
    public let rank: Int
    public let size: Int
    public let timeout: TimeInterval
    private let lock = NSLock()
    private var armedSince: Date? = Date()
    private var activity = "connecting to the other ranks"
    private var timer: DispatchSourceTimer?

    /// The process's watchdog once it joined a world of several ranks.
    nonisolated(unsafe) public private(set) static var current: PeerWatchdog?

    /// Exit status of a rank that gave up on its peers (EX_TEMPFAIL).
    public static let exitStatus: Int32 = 75

    public init(rank: Int, size: Int, timeout: TimeInterval) {
        self.rank = rank
        self.size = size
        self.timeout = timeout
    }

    /// Starts watching (and makes this the process's watchdog).
    public func start() {
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "opensora.peer-watchdog"))
        t.schedule(deadline: .now() + 1, repeating: min(1, timeout / 4))
        t.setEventHandler { [weak self] in self?.check() }
        timer = t
        t.resume()
        PeerWatchdog.current = self
    }

    public func stop() {
        timer?.cancel()
        timer = nil
        if PeerWatchdog.current === self { PeerWatchdog.current = nil }
    }

    /// The process is about to wait on its peers in `what` (the clock restarts at each collective).
    public func expect(_ what: String) {
        lock.lock()
        armedSince = Date()
        activity = what
        lock.unlock()
    }

    /// Every collective built so far has completed.
    public func settle() {
        lock.lock()
        armedSince = nil
        lock.unlock()
    }

    public static func expect(_ what: String) { current?.expect(what) }
    public static func settle() { current?.settle() }

    private func check() {
        lock.lock()
        let waited = armedSince.map { Date().timeIntervalSince($0) } ?? 0, what = activity
        lock.unlock()
        guard waited > timeout else { return }
        let message = "opensora: rank \(rank) of \(size): no answer for \(Int(timeout)) s during \(what); "
            + "a peer rank died, hangs or never connected (raise the limit with OPENSORA_PEER_TIMEOUT)\n"
        FileHandle.standardError.write(Data(message.utf8))
        _exit(PeerWatchdog.exitStatus)
    }
}
