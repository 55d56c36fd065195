import ArgumentParser
import Foundation
import OpenSora
import OpenSoraTraining

/// `opensora data caption`: captions from an OpenAI-compatible vision chat endpoint (tools/caption/caption_gpt4.py).
struct DataCaptionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caption",
        abstract: "Caption every row with a vision chat model (3 frames of a video, or the image) into the 'text' column.",
        discussion: """
        Any OpenAI-compatible chat-completions endpoint: OPENAI_BASE_URL (default https://api.openai.com/v1) and
        OPENAI_API_KEY, or --base-url / --api-key; a local llama.cpp, vLLM or Ollama server works the same way.
        Requests are retried with backoff on 429, 5xx and network errors; a row that still fails keeps its text and
        says why in 'error'. Captioned rows are journalled, so a rerun only sends the rest.

        Example:
          OPENAI_API_KEY=… opensora data caption meta_clips.csv --model gpt-4o-mini    # writes meta_clips_caption.csv
        """)

    @Argument(help: "The CSV to read (a 'path' column).") var input: String
    @Option(help: "The CSV to write (default: INPUT_caption.csv beside it).") var output: String?
    @Option(help: "The chat model.") var model: String
    @Option(help: "The endpoint's base URL (default: $OPENAI_BASE_URL, else OpenAI's).") var baseURL: String?
    @Option(help: "The API key (default: $OPENAI_API_KEY).") var apiKey: String?
    @Option(help: "A file whose text replaces the built-in prompt.") var promptFile: String?
    @Option(help: "At most this many requests a minute (default: no limit).") var requestsPerMinute: Double?
    @Option(help: "Seconds an attempt may take.") var timeout = 60.0
    @Option(help: "Requests in flight at once.") var workers = 4

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers \(workers); accepted: at least 1") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout \(timeout); accepted: seconds > 0") }
        if let r = requestsPerMinute, !(r > 0 && r.isFinite) { throw ValidationError("--requests-per-minute \(r); accepted: a number > 0") }
    }

    func run() throws {
        var configuration = try ChatCompletionsClient.Configuration.fromEnvironment(model: model, baseURL: baseURL, apiKey: apiKey)
        configuration.timeout = timeout
        configuration.requestsPerMinute = requestsPerMinute
        var tool = CaptionTool(client: ChatCompletionsClient(configuration), workers: workers)
        if let promptFile { tool.prompt = try String(contentsOfFile: promptFile, encoding: .utf8) }
        let table = try DataFilterCommand.read(input)
        let out = output ?? CaptionTool.defaultOutput(for: input)
        let result = try tool.run(table, csvPath: input, output: out, progress: RowProgress(tool: "caption").update)
        let failed = result.records.filter { !$0[result.header.count - 1].isEmpty }.count
        print("\(out): \(result.records.count) rows, \(failed) failed")
    }
}
