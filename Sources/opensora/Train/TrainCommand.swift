import ArgumentParser

/// `opensora train …`: the diffusion trainer (`train CONFIG.yaml` runs it), the feature cache and the loss plot.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train STDiT3 (`opensora train CONFIG.yaml`), precompute features, plot a run's loss.",
        subcommands: [TrainRunCommand.self, TrainExtractCommand.self, TrainPlotCommand.self, TrainExportCommand.self],
        defaultSubcommand: TrainRunCommand.self
    )
}
