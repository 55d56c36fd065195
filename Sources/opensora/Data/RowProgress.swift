import Foundation

/// The data tools' progress line on stderr: rows done of total, elapsed time and ETA, redrawn at most twice a second.
final class RowProgress: @unchecked Sendable {
    private let tool: String
    private let start = Date()
    private var last = Date.distantPast
    private let lock = NSLock()

    init(tool: String) { self.tool = tool }

    func update(_ done: Int, _ total: Int) {
        lock.withLock {
            let now = Date()
            guard done == total || now.timeIntervalSince(last) >= 0.5 else { return }
            last = now
            let elapsed = now.timeIntervalSince(start)
            let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
            FileHandle.standardError.write(Data("\r\(tool): \(done)/\(total) rows, elapsed \(Self.clock(elapsed)), ETA \(Self.clock(eta))   ".utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.isFinite ? min(max(seconds, 0), 1e9) : 0)
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
