import ArgumentParser
import Foundation
import OpenSoraTraining

/// `opensora data aesthetic`: the aesthetic score of every row (tools/scoring/aesthetic/inference.py).
struct DataAestheticCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aesthetic",
        abstract: "Add an 'aes' column: the CLIP ViT-L/14 aesthetic score of each image or video (~1–10).",
        discussion: """
        The improved-aesthetic-predictor MLP over CLIP's L2-normalised image embedding. A video scores the mean over its
        frames at 10 %, 50 % and 90 % (frame int(p·N), N the CSV's num_frames when present). Unreadable files keep an
        empty 'aes' and say why in 'error'. Resumable like every data tool.

        Example:
          opensora data aesthetic meta_info_fmin1.csv --clip-path clip-vit-large-patch14 --aesthetic-path aesthetic.pth
        """)

    @Argument(help: "The CSV to read (a 'path' column).") var input: String
    @Option(help: "A Hugging Face CLIP folder (openai/clip-vit-large-patch14: config.json, model.safetensors or pytorch_model.bin).")
    var clipPath: String
    @Option(help: "The aesthetic MLP state_dict (sac+logos+ava1-l14-linearMSE.pth, or safetensors).") var aestheticPath: String
    @Option(help: "The CSV to write (default: INPUT_aes.csv beside it).") var output: String?
    @Option(help: "Files decoded at once (default: the machine's cores; the model runs on one thread).")
    var workers = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Frames per CLIP forward pass (rows decoded meanwhile are scored together).") var batchSize = 64

    func validate() throws {
        try ColumnToolRun.validate(workers: workers)
        guard batchSize >= 1 else { throw ValidationError("--batch-size \(batchSize); accepted: at least 1") }
    }

    func run() throws {
        let out = output ?? AestheticTool.defaultOutput(for: input)
        var tool = try AestheticTool.load(clipPath: clipPath, aestheticPath: aestheticPath, workers: workers)
        tool.batchSize = batchSize
        try ColumnToolRun.run(tool: "aesthetic", input: input, output: out) { table, progress in
            try tool.run(table, csvPath: input, output: out, progress: progress)
        }
    }
}
