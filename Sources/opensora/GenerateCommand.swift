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

    @Option(help: "Output folder.")
    var saveDir = "samples"

    @Option(help: "Resolution: \(ResolutionTable.resolutionNames.joined(separator: ", ")).")
    var resolution = "240p"

    @Option(help: "Aspect ratio as H:W (\(ResolutionTable.aspectRatioNames.map(\.name).joined(separator: ", "))).")
    var aspectRatio = "9:16"

    @Option(help: "Frames: a number (1 = image) or 2s, 4s, 8s, 16s.")
    var numFrames = "51"

    @Option(help: "The fps condition for videos.")
    var fps = 24

    @Option(help: "Frame rate of the written file (default: --fps).")
    var saveFps: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    @Option(help: "Sampling steps.")
    var numSamplingSteps = 30

    @Option(help: "Classifier-free guidance scale.")
    var cfgScale: Float = 7

    @Option(help: "Aesthetic score appended to the prompt (\"none\" to omit).")
    var aes = "6.5"

    @Option(help: "Motion score appended to the prompt.")
    var flow: Double?

    @Option(help: "Camera motion appended to the prompt (e.g. \"pan right\").")
    var cameraMotion: String?

    @Option(help: "Per prompt: ';'-separated reference images/videos (repeat once per prompt).")
    var referencePath: [String] = []

    @Option(help: "Per prompt: loop,ref,ref_start,target_start,length,edit_ratio[;…] in latent frames (repeat once per prompt).")
    var maskStrategy: [String] = []

    @Option(help: "Number of chained generations; each continues from the last condition frames of the previous.")
    var loop = 1

    @Option(help: "Latent frames carried from one loop to the next (a multiple of 5).")
    var conditionFrameLength = 5

    @Option(help: "Prompts per sampling batch.")
    var batchSize = 1

    @Option(help: "Samples per prompt.")
    var numSample = 1

    @Option(help: "Compute dtype: float32 (CPU), bfloat16/float16 (GPU only).")
    var dtype = "float32"

    @Option(help: "Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format = "mp4"

    @Option(help: "Folder with the official OpenSora-STDiT-v3, OpenSora-VAE-v1.2 and t5-v1_1-xxl checkpoints.")
    var modelDir: String?

    @Option(help: "File-name prefix (default: sample).")
    var sampleName: String?

    @Flag(help: "Use the prompt as the file name.")
    var promptAsPath = false

    @Flag(help: "No progress output.")
    var quiet = false

    func run() throws {
        var prompts = prompt
        if let promptPath {
            guard let text = try? String(contentsOfFile: promptPath, encoding: .utf8) else {
                throw ValidationError("cannot read --prompt-path '\(promptPath)'")
            }
            var lines = text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if lines.last == "" { lines.removeLast() }
            prompts += lines
        }
        var request = GenerationRequest(prompts: prompts)
        request.size = try ResolutionTable.imageSize(resolution: resolution, aspectRatio: aspectRatio)
        request.numFrames = try FrameCount.parse(numFrames)
        request.fps = fps
        request.saveFPS = saveFps ?? fps
        request.seed = seed
        request.steps = numSamplingSteps
        request.guidanceScale = cfgScale
        request.aesthetic = try parseOptionalNumber(aes, option: "--aes")
        request.motion = flow
        request.cameraMotion = cameraMotion
        request.referencePaths = referencePath
        request.maskStrategies = maskStrategy
        request.loops = loop
        request.conditionFrameLength = conditionFrameLength
        request.batchSize = batchSize
        request.sampleCount = numSample
        request.saveDirectory = saveDir
        request.sampleName = sampleName
        request.promptAsPath = promptAsPath
        guard let outputFormat = OutputFormat(rawValue: format) else {
            throw ValidationError("unknown --format '\(format)'; accepted: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        request.format = outputFormat
        try request.validate()
        let computeType = try parseDType(dtype)

        let progress: GenerationProgress = quiet ? SilentProgress() : TerminalProgress()
        progress.stage("loading models")
        let models = try modelDir.map { try ModelBundle.official(directory: $0, dtype: computeType) } ?? ModelBundle.tinyRandom()
        let files = try GenerationPipeline(models: models, progress: progress).generate(request)
        if !quiet { print(files.joined(separator: "\n")) }
    }

    func parseOptionalNumber(_ text: String, option: String) throws -> Double? {
        if text.lowercased() == "none" { return nil }
        guard let v = Double(text) else { throw ValidationError("\(option) '\(text)' must be a number or 'none'") }
        return v
    }

    func parseDType(_ text: String) throws -> DType {
        switch text.lowercased() {
        case "float32", "fp32": return .float32
        case "bfloat16", "bf16", "float16", "fp16":
            guard Runtime.gpuAvailable else {
                throw ValidationError("--dtype \(text) needs a GPU backend: half-precision matmul on this CPU build is 40-80x slower; use float32")
            }
            return text.lowercased().hasPrefix("b") ? .bfloat16 : .float16
        default:
            throw ValidationError("unknown --dtype '\(text)'; accepted: float32, bfloat16, float16")
        }
    }
}
