// Reference: opensora/utils/inference_utils.py@v1.2.0 (refine_prompts_by_openai, get_random_prompt_by_openai: a system
// message of instructions plus example captions, the prompt — or "Generate one example." — as the user message, per
// `|i|` segment, an empty segment replaced by a random prompt); spec/surfaces.md §4. The instructions and examples
// here are our own words; the model and endpoint are any OpenAI-compatible one.
import Foundation

/// Rewrites prompts into the detailed English captions the model was trained on.
public struct PromptRefiner: Sendable {
    static let examples = """
        a tabby cat sits on a sunlit windowsill, slowly turning its head toward the street below while its tail sways. the \
        camera stays still, and soft morning light falls across the wooden frame.
        a small fishing boat crosses a calm bay at dusk, leaving a widening wake; gulls circle above and the hills behind \
        fade into orange haze as the camera pans slowly to the right.
        a chef in a white jacket slices vegetables on a wooden board in a busy kitchen, steam rising from pots behind him; \
        the shot is a close-up that follows his hands.
        """
    static let refineInstructions = """
        You turn short requests for a video into the captions a text-to-video model was trained on. Rewrite the user's \
        text as one English description of the video: keep every object and action it names, add the visual details a \
        model needs to draw them (appearance, setting, light, motion, camera), and write at most six sentences in lower \
        case, in the style of these examples. If the text is not in English, describe it in English. Answer with the \
        description only.

        Examples:
        \(examples)
        """
    static let randomInstructions = """
        You write captions for a text-to-video model. Write one new, varied English description of a short video in \
        the style of these examples: at most six sentences, lower case, concrete objects, actions, setting, light and \
        camera motion. Answer with the description only.

        Examples:
        \(examples)
        """

    public let client: ChatCompletionsClient

    public init(client: ChatCompletionsClient) { self.client = client }

    /// The prompt refined: each `|i|` segment on its own (empty ones replaced by a random prompt); an inline JSON
    /// suffix (`{"reference_path": …}`) is kept as it is.
    public func refine(_ prompt: String) throws -> String {
        let brace = prompt.firstIndex(of: "{") ?? prompt.endIndex
        let (text, suffix) = (String(prompt[..<brace]), String(prompt[brace...]))
        let (segments, loops) = try PromptText.splitLoops(text.trimmingCharacters(in: .whitespaces))
        let refined = try segments.map { segment -> String in
            let s = segment.trimmingCharacters(in: .whitespacesAndNewlines)
            let answer = s.isEmpty
                ? try client.complete([.text("Generate one example.")], system: Self.randomInstructions)
                : try client.complete([.text(s)], system: Self.refineInstructions)
            return answer.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return PromptText.mergeLoops(refined, loops: loops) + suffix
    }
}
