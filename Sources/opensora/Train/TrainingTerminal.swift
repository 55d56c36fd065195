import Foundation
import OpenSoraTraining

/// The trainer's terminal output: a live progress line (rewritten in place on a terminal, every `log_every`
/// steps otherwise) on stderr, and notices on lines of their own.
final class TrainingTerminal: @unchecked Sendable {
    private var progress: TrainingProgressLine
    private let logEvery: Int
    private let live = isatty(STDERR_FILENO) != 0
    private var pending = false
    private let lock = NSLock()

    init(totalSteps: Int = 0, logEvery: Int = 1) {
        progress = TrainingProgressLine(totalSteps: totalSteps)
        self.logEvery = max(1, logEvery)
    }

    /// A run's start: its total and the step it resumes after (so the ETA uses this session's speed only).
    func start(totalSteps: Int, after startStep: Int) {
        lock.withLock { progress = TrainingProgressLine(totalSteps: totalSteps, startStep: startStep) }
    }

    func step(_ entry: TrainingLogEntry) {
        lock.withLock {
            let text = progress.line(for: entry)
            if live {
                write("\r" + text + "\u{1B}[K")
                pending = true
            } else if entry.step % logEvery == 0 || entry.evalLosses != nil {
                write(text + "\n")
            }
        }
    }

    func message(_ text: String) {
        lock.withLock {
            if pending { write("\n") }
            pending = false
            write(text + "\n")
        }
    }

    func finish() { message("") }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
