import ArgumentParser
import Foundation

/// The options `data aesthetic` and `data matching` share: the CLIP folder, and how work is spread.
struct CLIPToolOptions: ParsableArguments {
    @Option(help: "A Hugging Face CLIP folder (openai/clip-vit-large-patch14: config.json, model.safetensors or pytorch_model.bin; vocab.json and merges.txt for matching).")
    var clipPath: String
    @Option(help: "Files decoded at once (default: the machine's cores; the model runs on one thread).")
    var workers = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Frames per CLIP forward pass (rows decoded meanwhile are scored together).") var batchSize = 64

    func validate() throws {
        try ColumnToolRun.validate(workers: workers)
        guard batchSize >= 1 else { throw ValidationError("--batch-size \(batchSize); accepted: at least 1") }
    }
}
