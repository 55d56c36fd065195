import ArgumentParser
import Foundation
import OpenSoraTraining

/// `opensora data matching`: how well each row's caption fits its media (tools/scoring/matching/inference.py).
struct DataMatchingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matching",
        abstract: "Add a 'match' column: CLIP ViT-L/14 logit_scale·cos(image, text) (100 × cosine for OpenAI CLIP).",
        discussion: """
        The image, or a video's middle frame, against the row's 'text' tokenized as clip.tokenize(truncate=True).
        Unreadable files keep an empty 'match' and say why in 'error'. Resumable like every data tool.

        Example:
          opensora data matching meta_caption.csv --clip-path clip-vit-large-patch14     # writes meta_caption_match.csv
        """)

    @Argument(help: "The CSV to read ('path' and 'text' columns).") var input: String
    @Option(help: "The CSV to write (default: INPUT_match.csv beside it).") var output: String?
    @OptionGroup var clip: CLIPToolOptions

    func run() throws {
        let out = output ?? MatchingTool.defaultOutput(for: input)
        var tool = try MatchingTool.load(clipPath: clip.clipPath, workers: clip.workers)
        tool.batchSize = clip.batchSize
        try ColumnToolRun.run(tool: "matching", input: input, output: out) { table, progress in
            try tool.run(table, csvPath: input, output: out, progress: progress)
        }
    }
}
