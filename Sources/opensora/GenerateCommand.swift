import ArgumentParser
import Foundation
import MLXTensor
import OpenSora

/// `opensora generate`: text/image/video to video, with the reference's option names.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate videos (or images) from prompts, optionally conditioned on reference images/videos.",
        discussion: """
        Examples:
          opensora generate "a red circle moving left on a black background"
          opensora generate "a cat" --resolution 240p --aspect-ratio 9:16 --num-frames 4s
          opensora generate "waves" --reference-path first.png --mask-strategy 0      (image to video)
          opensora generate "waves" --reference-path clip.mp4 --mask-strategy 0,0,-5,0,5 --loop 2
        """)

    @Argument(help: "Prompts (one video each). Inline JSON may follow a prompt: {\"reference_path\": …, \"mask_strategy\": …}.")
    var prompt: [String] = []

    @Option(help: "A text file with one prompt per line.")
    var promptPath: String?

    @OptionGroup var sampling: SamplingOptions

    @Option(help: "Per prompt: ';'-separated reference images/videos (repeat once per prompt).")
    var referencePath: [String] = []

    @Option(help: "Per prompt: loop,ref,ref_start,target_start,length,edit_ratio[;…] in latent frames (repeat once per prompt).",
            transform: { try MaskStrategy(parsing: $0) })
    var maskStrategy: [MaskStrategy] = []

    @Option(help: "Number of chained generations; each continues from the last condition frames of the previous.")
    var loop = 1

    @Option(help: "Latent frames carried from one loop to the next (a multiple of 5).")
    var conditionFrameLength = 5

    @Option(help: "Prompts per sampling batch.")
    var batchSize = 1

    @Option(help: "Samples per prompt.")
    var numSample = 1

    @Flag(help: "Refine every prompt with an LLM first (OPENAI_BASE_URL, OPENAI_API_KEY; any OpenAI-compatible endpoint).")
    var llmRefine = false

    @Option(help: "The chat model --llm-refine uses.")
    var llmModel = "gpt-4o"

    @Option(help: "Sequence-parallel ranks: each frame's tokens split over N processes on this machine (inside `opensora launch`, its rank count).")
    var sp = 1

    @OptionGroup var model: ModelOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        let world = try ParallelWorld.current()
        if sp > 1, world.size == 1 { return try LaunchCommand.parse(["-n", "\(sp)", "--"] + CommandLine.arguments.dropFirst()).run() }
        guard sp == 1 || sp == world.size else {
            throw OpenSoraError.invalidInput("--sp \(sp) differs from the launch's \(world.size) ranks (inference is sequence-parallel over all of them)")
        }
        let quiet = output.quiet || !world.isWriter
        var prompts = prompt
        if let promptPath { prompts += try PromptFile.read(promptPath) }
        if llmRefine {
            // Only rank 0 asks the LLM; every rank uses its answer (spec/parallelism.md §3.6).
            if world.isWriter {
                let refiner = PromptRefiner(client: ChatCompletionsClient(try .fromEnvironment(model: llmModel)))
                prompts = try prompts.map { original in
                    let refined = try refiner.refine(original)
                    if !quiet { FileHandle.standardError.write(Data("refined: \(original) → \(refined)\n".utf8)) }
                    return refined
                }
            }
            prompts = try world.group.shareFromRankZero(prompts)
        }
        var request = GenerationRequest(prompts: prompts)
        try sampling.apply(to: &request, defaults: try model.generationDefaults())
        output.apply(to: &request)
        request.referencePaths = referencePath
        request.maskStrategies = maskStrategy
        request.loops = loop
        request.conditionFrameLength = conditionFrameLength
        request.batchSize = batchSize
        request.sampleCount = numSample
        try request.validate()

        let progress = quiet ? nil : TerminalProgress()
        do {
            _ = progress?.handle(.stage(.loadingModels))
            let container = try model.container()
            container.models.denoiser.sequenceParallel = world.group  // spec/parallelism.md §3.6: several ranks = SP
            let pipeline = GenerationPipeline(container: container)
            pipeline.writesFiles = world.isWriter
            let files = try pipeline.generate(request, onEvent: { progress?.handle($0) ?? .proceed }, saved: { progress?.saved($0) })
            progress?.endLine()
            if !quiet { print(files.joined(separator: "\n")) }
        } catch {
            progress?.endLine()  // the error starts a line of its own
            throw error
        }
    }
}
