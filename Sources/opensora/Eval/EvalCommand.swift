import ArgumentParser

/// `opensora eval …`: the evaluation tools of spec/evaluation.md, one subcommand per file in this folder
/// (a new evaluation is one more entry in `subcommands`).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluation: the rectified-flow loss, VAE reconstruction metrics, VBench sample sets, the shapes accuracy.",
        subcommands: [
            EvalLossCommand.self,
            EvalVAECommand.self,
            EvalVBenchSamplesCommand.self,
            EvalShapesCommand.self,
        ]
    )
}
