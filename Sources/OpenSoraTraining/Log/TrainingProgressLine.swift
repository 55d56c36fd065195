// Reference: train.py@v1.2.0's tqdm bar with the running-average loss as postfix (spec/training.md §10.3).
import Foundation

/// The live terminal line: `step 120/1000 (12.0%) | loss 0.1234 (avg 0.1300) | lr 2.00e-05 | 12.3 samples/s | ETA 1h02m`.
public struct TrainingProgressLine: Sendable {
    public let totalSteps: Int
    /// Steps already done when this session started (a resume), so the ETA uses this session's speed only.
    public let startStep: Int
    private var lossSum = 0.0, lossCount = 0

    public init(totalSteps: Int, startStep: Int = 0) {
        self.totalSteps = totalSteps
        self.startStep = startStep
    }

    /// The line for `entry`, folding its loss into the running average.
    public mutating func line(for entry: TrainingLogEntry) -> String {
        if entry.loss.isFinite {
            lossSum += entry.loss
            lossCount += 1
        }
        let percent = totalSteps > 0 ? String(format: " (%.1f%%)", 100 * Double(entry.step) / Double(totalSteps)) : ""
        var parts = ["step \(entry.step)/\(totalSteps)\(percent)",
                     "loss \(Self.number(entry.loss))" + (lossCount > 0 ? " (avg \(Self.number(lossSum / Double(lossCount))))" : ""),
                     "lr " + String(format: "%.2e", entry.lr),
                     String(format: "%.1f samples/s", entry.samplesPerSecond)]
        if let eval = entry.evalLosses, !eval.isEmpty {
            parts.append("eval " + eval.sorted { $0.key < $1.key }.map { "\($0.key) \(Self.number($0.value))" }.joined(separator: ", "))
        }
        parts.append("ETA " + (eta(for: entry).map(Self.duration) ?? "?"))
        return parts.joined(separator: " | ")
    }

    /// Remaining steps at this session's mean step time; nil before the first step of the session.
    public func eta(for entry: TrainingLogEntry) -> Double? {
        let done = entry.step - startStep
        guard done > 0, entry.elapsedSeconds >= 0 else { return nil }
        return max(0, Double(totalSteps - entry.step)) * entry.elapsedSeconds / Double(done)
    }

    static func number(_ v: Double) -> String { v.isFinite ? String(format: "%.4f", v) : "\(v)" }

    /// `12s`, `3m05s`, `1h02m`, `2d03h`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        if s < 86400 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        return String(format: "%dd%02dh", s / 86400, (s % 86400) / 3600)
    }
}
