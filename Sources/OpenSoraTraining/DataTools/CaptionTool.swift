// Reference: tools/caption/caption_gpt4.py@v1.2.0 (frames at 10 / 50 / 90 % of a clip as JPEG data URLs after the
// prompt, max_tokens 300, line breaks to spaces; `{input}_caption.csv`); spec/tools.md §10.3. Ours: any
// OpenAI-compatible endpoint and model, the input's columns kept with `text` set, our own prompt wording (or
// --prompt-file), rows journalled so a rerun skips captioned ones, a failed row kept with its reason.
import Foundation
import OpenSora

/// `data caption`: a caption per row from a vision chat model.
public struct CaptionTool: Sendable {
    public static let videoPrompt = """
        The images are frames of one video, in order. Describe the video in one detailed paragraph: the main subjects, \
        their appearance and what they do, the setting, the lighting, and how the camera moves. Begin with the description itself.
        """
    public static let imagePrompt = """
        Describe this image in one detailed paragraph: the main subjects and their appearance, the setting, the lighting \
        and the composition. Begin with the description itself.
        """

    public let client: ChatCompletionsClient
    /// Where in a video the frames are taken (fractions of its length).
    public var points: [Double] = [0.1, 0.5, 0.9]
    public var prompt: String?
    public var maxTokens = 300
    public var workers: Int

    public init(client: ChatCompletionsClient, workers: Int = 4) { (self.client, self.workers) = (client, workers) }

    public func run(_ table: CSVTable, csvPath: String, output: String, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> CSVTable {
        let journal = try RowJournal(output: output), tool = self, p = table.index(of: "path") ?? 0
        let rows = try RowRunner(workers: workers).run(table, csvPath: csvPath, journal: journal, progress: progress) { file, record in
            do {
                let kind = MediaKind(path: record[p])
                guard let kind else { return ["", "unsupported extension; accepted: a video or an image"] }
                let frames = try kind == .image ? [Self.jpeg(file, at: nil)] : Self.jpegs(file, at: tool.points)
                let text = tool.prompt ?? (kind == .image ? Self.imagePrompt : Self.videoPrompt)
                let caption = try tool.client.complete([.text(text)] + frames.map { .jpeg($0) }, maxTokens: tool.maxTokens)
                return [caption, ""]
            } catch {
                return ["", "\(error)"]
            }
        }
        // A failed row keeps the caption it had.
        let kept = zip(table.records, rows).map { r, v in [v[1].isEmpty ? v[0] : (table.index(of: "text").map { r[$0] } ?? ""), v[1]] }
        return try RowRunner.finish(table, rows: kept, columns: ["text", MediaInfo.errorColumn], output: output, journal: journal)
    }

    /// The frames at `fractions` of a video's length as JPEG (the video probed once).
    static func jpegs(_ path: String, at fractions: [Double]) throws -> [Data] {
        let (frames, _, fps) = try VideoReader.probe(path)
        guard frames > 0, fps > 0 else { throw FFmpeg.Failure(message: "no decodable frames in \(path)") }
        return try fractions.map { try jpeg(path, at: Double(min(frames - 1, Int(Double(frames) * $0))) / fps) }
    }

    /// One frame as JPEG: the one at `seconds` of a video, or the image itself (nil).
    static func jpeg(_ path: String, at seconds: Double?) throws -> Data {
        let seek = seconds.map { ["-ss", String(format: "%.3f", $0)] } ?? []
        let data = try FFmpeg.run(["-v", "error", "-nostdin"] + seek + ["-i", path, "-frames:v", "1", "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "3", "-"])
        guard !data.isEmpty else { throw FFmpeg.Failure(message: "no frame at \(seconds ?? 0) s of \(path)") }
        return data
    }

    public static func defaultOutput(for input: String) -> String { RowRunner.siblingOutput(of: input, suffix: "_caption") }
}
