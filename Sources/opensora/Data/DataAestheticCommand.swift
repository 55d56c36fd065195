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
    @Option(help: "The aesthetic MLP state_dict (sac+logos+ava1-l14-linearMSE.pth, or safetensors).") var aestheticPath: String
    @Option(help: "The CSV to write (default: INPUT_aes.csv beside it).") var output: String?
    @OptionGroup var clip: CLIPToolOptions

    func run() throws {
        let out = output ?? AestheticTool.defaultOutput(for: input)
        var tool = try AestheticTool.load(clipPath: clip.clipPath, aestheticPath: aestheticPath, workers: clip.workers)
        tool.batchSize = clip.batchSize
        try ColumnToolRun.run(tool: "aesthetic", input: input, output: out) { table, progress in
            try tool.run(table, csvPath: input, output: out, progress: progress)
        }
    }
}
