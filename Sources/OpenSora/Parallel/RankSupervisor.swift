import Foundation

/// Runs a launch's processes and ends them together: the first rank to fail (non-zero status or a
/// signal) stops the others, so a dead peer never leaves the rest blocked in a collective; the
/// launch's result names that rank. Rank 0 prints to the terminal; the others' stderr is shown
/// with a `[rank i]` prefix and their stdout (the same progress again) is dropped.
public final class RankSupervisor: @unchecked Sendable {  // `exited` is guarded by `lock`
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let rank: Int
        public let status: Int32
        public let signalled: Bool
        public let stopped: [Int]

        public var description: String {
            let how = signalled ? "was killed by signal \(status)\(signalName(status).map { " (\($0))" } ?? "")"
                                : "exited with status \(status)"
            let rest = stopped.isEmpty ? "" : "; stopped rank\(stopped.count == 1 ? "" : "s") \(stopped.map(String.init).joined(separator: ", "))"
            return "launch: rank \(rank) \(how)\(rest)"
        }
    }

    private let processes: [Process]
    private let grace: TimeInterval
    /// Ranks in the order they exited: the first failure is the cause, later ones its consequences.
    private var exited = [Int]()
    private let lock = NSLock()

    /// `commands[i]` is rank i's executable, arguments and environment additions.
    public init(commands: [(executable: URL, arguments: [String], environment: [String: String])], grace: TimeInterval = 5) {
        self.grace = grace
        processes = commands.enumerated().map { rank, command in
            let p = Process()
            p.executableURL = command.executable
            p.arguments = command.arguments
            p.environment = ProcessInfo.processInfo.environment.merging(command.environment) { _, new in new }
            if rank > 0 {
                p.standardOutput = FileHandle.nullDevice
                let pipe = Pipe()
                pipe.fileHandleForReading.readabilityHandler = { handle in
                    let data = handle.availableData
                    guard !data.isEmpty else { handle.readabilityHandler = nil; return }
                    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                    let text = lines.enumerated().map { i, l in l.isEmpty && i == lines.count - 1 ? "" : "[rank \(rank)] \(l)\n" }.joined()
                    FileHandle.standardError.write(Data(text.utf8))
                }
                p.standardError = pipe
            }
            return p
        }
        for (rank, p) in processes.enumerated() {
            p.terminationHandler = { [weak self] _ in
                guard let self else { return }
                self.lock.lock()
                self.exited.append(rank)
                self.lock.unlock()
            }
        }
    }

    /// Starts every rank and waits; throws the first failure after stopping the rest.
    public func run() throws {
        for (rank, p) in processes.enumerated() {
            do { try p.run() } catch {
                stop(except: rank)
                throw OpenSoraError.invalidInput("launch: cannot start rank \(rank) (\(p.executableURL?.path ?? "?")): \(error.localizedDescription)")
            }
        }
        while true {
            lock.lock()
            let order = exited
            lock.unlock()
            if let rank = order.first(where: { failed(processes[$0]) }) {
                let p = processes[rank]
                let running = processes.indices.filter { processes[$0].isRunning }
                stop(except: rank)
                throw Failure(rank: rank, status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal, stopped: running)
            }
            if order.count == processes.count { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Forwards a signal (Ctrl-C) to every running rank.
    public func signal(_ sig: Int32) {
        for p in processes where p.isRunning { kill(p.processIdentifier, sig) }
    }

    private func failed(_ p: Process) -> Bool { p.terminationReason == .uncaughtSignal || p.terminationStatus != 0 }

    /// SIGTERM, then SIGKILL after the grace period, for every rank still running.
    private func stop(except rank: Int) {
        let others = processes.enumerated().filter { $0.offset != rank && $0.element.isRunning }.map(\.element)
        for p in others { kill(p.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        while others.contains(where: \.isRunning), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        for p in others where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        for p in others { p.waitUntilExit() }
    }
}

private func signalName(_ s: Int32) -> String? {
    [SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS"][s]
}
