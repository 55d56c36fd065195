import ArgumentParser

/// `opensora train …`: the diffusion trainer's commands. The training loop itself is still to come;
/// `plot` reads the JSONL step log every run writes.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training tools (the training loop is not built yet; see the issues).",
        subcommands: [TrainPlotCommand.self]
    )
}
