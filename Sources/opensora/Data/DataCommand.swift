import ArgumentParser

/// `opensora data …`: dataset tools.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Dataset tools: list media into a CSV, measure, cut, score, caption and filter it; synthetic moving-shape clips for the default model.",
        subcommands: [DataConvertCommand.self, DataInfoCommand.self, DataSceneDetectCommand.self, DataCutCommand.self, DataAestheticCommand.self, DataMatchingCommand.self,
                      DataMotionCommand.self, DataCameraMotionCommand.self, DataCaptionCommand.self, DataFilterCommand.self, DataMergeCommand.self, DataSplitCommand.self,
                      SynthShapesCommand.self])
}
