import ArgumentParser
import Foundation
import OpenSoraTraining

/// `opensora train plot LOG.jsonl --out loss.svg`: the loss (and eval-loss) curves of a run as an SVG.
struct TrainPlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw the loss and eval-loss curves of a training log (JSONL) into an SVG.")

    @Argument(help: "The run's log.jsonl.")
    var log: String

    @Option(help: "The SVG to write (atomically).")
    var out = "loss.svg"

    @Flag(help: "Logarithmic loss axis.")
    var logScale = false

    func run() throws {
        let entries = try TrainingLog.read(log)
        guard !entries.isEmpty else { throw ValidationError("\(log) holds no training steps") }
        try LossPlot(entries: entries, logScale: logScale, title: (log as NSString).lastPathComponent).write(to: out)
        print(out)
    }
}
