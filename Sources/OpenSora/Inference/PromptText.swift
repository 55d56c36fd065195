// Reference: opensora/utils/inference_utils.py@v1.2.0 (append_score_to_prompts, extract_json_from_prompts,
// split_prompt, merge_prompt, extract_prompts_loop); spec/inference.md §6.
import Foundation

/// Prompt-level text handling of the inference script.
public enum PromptText {
    /// Appends " aesthetic score: X.X.", " motion score: X.X." and " camera motion: M." unless the
    /// prompt already carries that marker. Scores use one decimal with round-half-even on the binary value.
    public static func appendingScores(_ prompt: String, aesthetic: Double?, motion: Double?, cameraMotion: String?) -> String {
        var p = prompt
        if let aesthetic, !containsCodePoints(prompt, "aesthetic score:") { p += " aesthetic score: \(String(format: "%.1f", aesthetic))." }
        if let motion, !containsCodePoints(prompt, "motion score:") { p += " motion score: \(String(format: "%.1f", motion))." }
        if let cameraMotion, !containsCodePoints(prompt, "camera motion:") { p += " camera motion: \(cameraMotion)." }
        return p
    }

    /// Python's `needle in text`: a code-point substring test (String.contains compares graphemes, so a
    /// combining mark after the needle's last character would hide it).
    static func containsCodePoints(_ text: String, _ needle: String) -> Bool {
        let t = Array(text.unicodeScalars), n = Array(needle.unicodeScalars)
        guard !n.isEmpty else { return true }
        guard t.count >= n.count else { return false }
        return (0...(t.count - n.count)).contains { i in n.indices.allSatisfy { t[i + $0] == n[$0] } }
    }

    /// Splits `caption{"reference_path": …, "mask_strategy": …}`: the caption is kept unchanged
    /// (trailing space included); only those two keys are accepted.
    public static func extractJSON(_ prompt: String) throws -> (caption: String, referencePath: String?, maskStrategy: String?) {
        let parts = splitBeforeBraces(prompt)
        guard parts.count <= 2 else {
            throw OpenSoraError.invalidInput("invalid prompt '\(prompt)': at most one inline JSON object, and no '{' in the caption")
        }
        guard parts.count == 2 else { return (prompt, nil, nil) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(parts[1].utf8)) as? [String: Any] else {
            throw OpenSoraError.invalidInput("invalid prompt '\(prompt)': the part from '{' is not a JSON object")
        }
        var reference: String?, mask: String?
        for (key, value) in object {
            switch key {
            case "reference_path": reference = "\(value)"
            case "mask_strategy": mask = "\(value)"
            default: throw OpenSoraError.invalidInput("invalid key '\(key)' in prompt JSON; accepted: reference_path, mask_strategy")
            }
        }
        return (parts[0], reference, mask)
    }

    /// `re.split(r"(?=[{])", s)`: pieces starting at every `{` (the first piece may be empty).
    static func splitBeforeBraces(_ s: String) -> [String] {
        var parts = [String](), current = ""
        for ch in s {
            if ch == "{" {
                parts.append(current)
                current = ""
            }
            current.append(ch)
        }
        parts.append(current)
        return parts
    }

    /// `|0|text0|i1|text1…` → texts (stripped) and start-loop indices; a plain prompt → ([prompt], nil).
    public static func splitLoops(_ prompt: String) throws -> (texts: [String], loops: [Int]?) {
        guard prompt.hasPrefix("|0|") else { return ([prompt], nil) }
        let fields = prompt.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map(String.init)
        var texts = [String](), loops = [Int]()
        for i in stride(from: 0, to: fields.count, by: 2) {
            guard let start = Int(fields[i].trimmingPythonWhitespace()), i + 1 < fields.count else {
                throw OpenSoraError.invalidInput("invalid loop prompt '\(prompt)': expected |index|text pairs")
            }
            loops.append(start)
            texts.append(fields[i + 1].trimmingPythonWhitespace())
        }
        return (texts, loops)
    }

    public static func mergeLoops(_ texts: [String], loops: [Int]?) -> String {
        guard let loops else { return texts.first ?? "" }
        return zip(loops, texts).map { "|\($0)|\($1)" }.joined()
    }

    /// The prompt of loop `index`: the segment with the largest start index ≤ index.
    public static func prompt(forLoop index: Int, of prompt: String) throws -> String {
        guard prompt.hasPrefix("|0|") else { return prompt }
        let fields = prompt.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map(String.init)
        var expanded = [String]()
        for i in stride(from: 0, to: fields.count, by: 2) {
            guard let start = Int(fields[i].trimmingPythonWhitespace()), i + 1 < fields.count else {
                throw OpenSoraError.invalidInput("invalid loop prompt '\(prompt)': expected |index|text pairs")
            }
            let end = i + 2 < fields.count ? Int(fields[i + 2].trimmingPythonWhitespace()) ?? start : index + 1
            expanded += Array(repeating: fields[i + 1], count: max(0, end - start))
        }
        guard expanded.indices.contains(index) else {
            throw OpenSoraError.invalidInput("loop prompt '\(prompt)' has no text for loop \(index)")
        }
        return expanded[index]
    }
}
