import ArgumentParser

/// `opensora`: Open-Sora 1.2 text-to-video in Swift.
@main
struct OpenSoraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opensora",
        abstract: "Open-Sora 1.2 in Swift: text/image-to-video generation, training and evaluation on MLX.",
        subcommands: [GenerateCommand.self, ServeCommand.self, TrainCommand.self, TrainVAECommand.self, EvalCommand.self, DataCommand.self, LaunchCommand.self,
                      InspectCommand.self, InfoCommand.self]
    )
}
