import ArgumentParser
import OpenSora

/// Where and how results are written, and how much is reported while working.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output folder.")
    var saveDir = "samples"

    @Option(help: "Output format.")
    var format = OutputFormat.mp4

    @Option(help: "File-name prefix (default: sample).")
    var sampleName: String?

    @Flag(help: "Use the prompt as the file name.")
    var promptAsPath = false

    @Flag(help: "No progress output.")
    var quiet = false

    func apply(to request: inout GenerationRequest) {
        request.saveDirectory = saveDir
        request.format = format
        request.sampleName = sampleName
        request.promptAsPath = promptAsPath
    }
}
