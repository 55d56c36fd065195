import Foundation
import OpenSora

/// A one-line progress bar on stderr: stage, step i/N, elapsed time and ETA. Anything else printed
/// (a saved file, an error) first ends the bar's line, so messages start a line of their own.
final class TerminalProgress {
    private var stageName = ""
    private let runStart = Date()
    private var pending = false

    func handle(_ event: GenerationEvent) -> GenerationControl {
        switch event {
        case .stage(let stage):
            endLine()
            stageName = stage.description
            write("[\(clock(Date().timeIntervalSince(runStart)))] \(stageName)…")
            pending = true
        case .step(let index, let total, let elapsed):
            let width = 24, filled = width * index / max(total, 1)
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            write("\r\(stageName) [\(bar)] step \(index)/\(total) elapsed \(clock(elapsed)) ETA \(clock(event.eta ?? 0))   ")
            pending = true
        case .video:
            break
        }
        return .proceed
    }

    func saved(_ path: String) { line("saved \(path)") }

    /// Prints `message` on a line of its own.
    func line(_ message: String) {
        endLine()
        write(message + "\n")
    }

    func endLine() {
        if pending { write("\n") }
        pending = false
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

    private func clock(_ seconds: Double) -> String {
        let s = Int(seconds.isFinite ? min(max(seconds, 0), 1e9) : 0)
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
