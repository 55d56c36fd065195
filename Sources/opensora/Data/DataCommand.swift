import ArgumentParser

/// `opensora data …`: dataset tools.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Dataset tools: synthetic moving-shape clips for the default model.",
        subcommands: [SynthShapesCommand.self])
}
