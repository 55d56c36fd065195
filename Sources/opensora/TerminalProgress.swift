import Foundation
import OpenSora

/// A one-line progress bar on stderr: stage, step i/N, elapsed time and ETA.
final class TerminalProgress: GenerationProgress {
    private var stageName = ""
    private var stageStart = Date()
    private let runStart = Date()

    func stage(_ name: String) {
        endLine()
        stageName = name
        stageStart = Date()
        FileHandle.standardError.write(Data("[\(clock(Date().timeIntervalSince(runStart)))] \(name)…".utf8))
        pending = true
    }

    func step(_ index: Int, of total: Int) {
        let elapsed = Date().timeIntervalSince(stageStart)
        let eta = elapsed / Double(index) * Double(total - index)
        let width = 24, filled = width * index / max(total, 1)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r\(stageName) [\(bar)] step \(index)/\(total) elapsed \(clock(elapsed)) ETA \(clock(eta))   ".utf8))
        pending = true
    }

    func finished(_ path: String) {
        endLine()
        FileHandle.standardError.write(Data("saved \(path)\n".utf8))
    }

    private var pending = false

    private func endLine() {
        if pending { FileHandle.standardError.write(Data("\n".utf8)) }
        pending = false
    }

    private func clock(_ seconds: Double) -> String {
        let s = Int(seconds.isFinite ? seconds : 0)
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
