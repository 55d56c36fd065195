import ArgumentParser
import Foundation
import OpenSora

/// `opensora eval vbench-samples`: the videos VBench scores, `{prompt}-{k}.mp4`, generated with the
/// generation engine; resumable (spec/evaluation.md §3.1, §4; eval/sample.sh -4/-5).
struct EvalVBenchSamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vbench-samples",
        abstract: "Generate the VBench sample set: num-samples videos per prompt, named {prompt}-{k}.mp4.",
        discussion: """
        Existing videos are kept, so an interrupted run continues where it stopped. Video (line i, sample k)
        gets its own seed derived from --seed, i and k: a resumed or split (--start-index/--end-index) run
        makes the same videos as one run. The defaults are the reference's (240p 9:16, 51 frames, 30 steps,
        cfg 7, aes 6.5, seed 42). Pass --text-encoder keepLoaded to encode every video's prompt without
        reloading T5.
        Example:
          opensora eval vbench-samples --prompts all_dimension.txt --save-dir vbench --model-dir models
        """)

    @Option(help: "The prompt file, one prompt per line (VBench's all_dimension.txt; all_i2v.txt lines carry inline JSON).")
    var prompts: String

    @Option(help: "Output folder of the videos.")
    var saveDir: String

    @Option(help: "Videos per prompt (VBench uses 5).")
    var numSamples = 5

    @Option(help: "First prompt line to generate (0-based).")
    var startIndex = 0

    @Option(help: "Stop before this prompt line (default: the end of the file).")
    var endIndex: Int?

    @OptionGroup var sampling: SamplingOptions

    @OptionGroup var model: ModelOptions

    @Flag(help: "No progress output.")
    var quiet = false

    func validate() throws {
        guard (1...GenerationRequest.Limits.perBatch.upperBound).contains(numSamples) else {
            throw ValidationError("--num-samples \(numSamples) is out of range; accepted: 1...\(GenerationRequest.Limits.perBatch.upperBound)")
        }
        let frames = sampling.frames(try model.generationDefaults())
        guard frames > 1 else { throw ValidationError("--num-frames \(frames): VBench scores videos; use 17 or more") }
    }

    func run() throws {
        let set = try VBenchSampleSet(prompts: try PromptFile.read(prompts), saveDirectory: saveDir, samplesPerPrompt: numSamples,
                                      seed: sampling.seed, startIndex: startIndex, endIndex: endIndex)
        var template = GenerationRequest(prompts: [""])
        try sampling.apply(to: &template, defaults: try model.generationDefaults())
        template.saveDirectory = saveDir
        let todo = set.missing()
        let progress = quiet ? nil : TerminalProgress()
        progress?.line("\(set.entries.count) videos planned, \(set.entries.count - todo.count) already there, \(todo.count) to generate"
            + (set.duplicateLines.isEmpty ? "" : " (\(set.duplicateLines.count) repeated prompts share their files)"))
        guard !todo.isEmpty else { return }
        do {
            _ = progress?.handle(.stage(.loadingModels))
            let pipeline = GenerationPipeline(container: try model.container())
            for (i, entry) in todo.enumerated() {
                var request = template
                request.prompts = [entry.prompt]
                request.seed = entry.seed
                progress?.line("[\(i + 1)/\(todo.count)] \(entry.caption.prefix(80))-\(entry.sample) (line \(entry.line + 1), seed \(entry.seed))")
                try pipeline.generate(request, onEvent: { progress?.handle($0) ?? .proceed }, basePath: { _ in entry.basePath },
                                      saved: { progress?.saved($0) })
            }
            progress?.endLine()
        } catch {
            progress?.endLine()  // the error starts a line of its own
            throw error
        }
    }
}
