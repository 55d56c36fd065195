import ArgumentParser

/// Where a training run writes and what it continues from: the options `train` and `train-vae` share.
struct TrainingRunOptions: ParsableArguments {
    @Option(name: [.customLong("resume"), .customLong("load")],
            help: "A checkpoint folder, or an experiment folder (its newest complete checkpoint), to continue exactly.")
    var resume: String?

    @Option(help: "The experiment folder to write (default: the next {outputs}/NNN-{model}).")
    var experiment: String?
}
