// Reference: scripts/inference.py@v1.2.0 (--prompt-as-path, --num-sample, "skip if the sample already
// exists"), opensora/utils/inference_utils.py (get_save_path_name, load_prompts), eval/sample.sh (-4/-5);
// spec/evaluation.md §3.1, §4. VBench's own rule: `$prompt-$index.mp4`, index 0…4, the prompt verbatim.
import Foundation

/// The videos a VBench run needs: `samplesPerPrompt` files `{prompt}-{k}.mp4` per prompt line, in
/// prompt-major order, each with its own seed. The reference seeds once and draws in sequence, so a
/// resumed or split run gets other noise; here video (line i, sample k) always gets the same seed
/// (`seed(base:line:sample:)`), whatever was skipped before it or how the prompt list was split.
public struct VBenchSampleSet: Equatable, Sendable {
    /// One video to make.
    public struct Entry: Equatable, Sendable {
        /// The prompt's line in the prompt file (0-based, counting lines before `startIndex` too).
        public let line: Int
        public let sample: Int
        /// The line as written (an i2v line keeps its inline JSON; the engine extracts it).
        public let prompt: String
        /// The caption: the line without its inline JSON, the name VBench looks up.
        public let caption: String
        public let seed: UInt64
        /// `<saveDirectory>/<caption>-<sample>.mp4`.
        public let path: String

        /// The path without the extension, as the video writer takes it.
        public var basePath: String { String(path.dropLast(4)) }
    }

    /// The file system's limit on one name (NAME_MAX), which the JSON sidecar `<name>.json` must respect too.
    public static let nameBytes = 255
    public static let sidecarSuffix = ".json"

    public let saveDirectory: String
    public let samplesPerPrompt: Int
    public let entries: [Entry]
    /// Lines whose caption an earlier line already has: planned once (the reference finds the files
    /// there and skips them).
    public let duplicateLines: [Int]

    /// `prompts` are the whole prompt file; lines `startIndex..<endIndex` are planned (the reference's
    /// `--start-index/--end-index`, which split VBench over several machines).
    public init(prompts: [String], saveDirectory: String, samplesPerPrompt: Int = 5, seed: UInt64 = 42,
                startIndex: Int = 0, endIndex: Int? = nil) throws {
        func bad(_ m: String) -> OpenSoraError { .invalidInput(m) }
        guard samplesPerPrompt >= 1 else { throw bad("num_samples \(samplesPerPrompt) must be at least 1 (VBench uses 5)") }
        let end = Swift.min(endIndex ?? prompts.count, prompts.count)
        guard startIndex >= 0, startIndex < end else {
            throw bad("prompt range \(startIndex)..<\(endIndex.map(String.init) ?? "end") selects none of the \(prompts.count) prompts")
        }
        var entries = [Entry](), duplicates = [Int]()
        var seen = Set<String>()
        for line in startIndex..<end {
            let caption = try Self.caption(prompts[line], line: line, lastSample: samplesPerPrompt - 1)
            // VBench's prompt list repeats prompts shared by two dimensions; both read the same files.
            guard seen.insert(caption).inserted else {
                duplicates.append(line)
                continue
            }
            for k in 0..<samplesPerPrompt {
                let path = (saveDirectory as NSString).appendingPathComponent(Self.fileName(caption: caption, sample: k))
                entries.append(Entry(line: line, sample: k, prompt: prompts[line], caption: caption,
                                     seed: Self.seed(base: seed, line: line, sample: k), path: path))
            }
        }
        self.saveDirectory = saveDirectory
        self.samplesPerPrompt = samplesPerPrompt
        self.entries = entries
        self.duplicateLines = duplicates
    }

    /// `{caption}-{k}.mp4`: the caption verbatim (no escaping, as the reference and VBench name files).
    public static func fileName(caption: String, sample: Int) -> String { "\(caption)-\(sample).mp4" }

    /// The caption a line names its files by; rejects what cannot be one file name in the folder.
    static func caption(_ prompt: String, line: Int, lastSample: Int) throws -> String {
        func bad(_ why: String) -> OpenSoraError { .invalidInput("prompt on line \(line + 1) '\(prompt.prefix(60))' \(why)") }
        let caption = try PromptText.extractJSON(prompt).caption
        guard !caption.isEmpty else { throw bad("is empty: VBench names each video by its prompt") }
        guard !caption.contains("/"), !caption.contains("\0") else {
            throw bad("contains '/' or NUL, which no file name can hold; VBench looks videos up by the prompt verbatim")
        }
        let longest = fileName(caption: caption, sample: lastSample).utf8.count + sidecarSuffix.utf8.count
        guard longest <= nameBytes else {
            throw bad("makes a \(longest)-byte file name (with the .json sidecar); the file system accepts \(nameBytes)")
        }
        return caption
    }

    /// The seed of video (line, sample): SplitMix64 of the three, so neighbouring videos and runs
    /// with neighbouring base seeds do not share noise.
    public static func seed(base: UInt64, line: Int, sample: Int) -> UInt64 {
        func mix(_ x: UInt64) -> UInt64 {
            var z = x &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return mix(mix(mix(base) ^ UInt64(truncatingIfNeeded: line)) ^ UInt64(truncatingIfNeeded: sample))
    }

    /// The entries whose video is not there yet. Videos are renamed into place only when complete
    /// (`AtomicFile`), so an existing regular file is a finished one; an interrupted write leaves only
    /// a hidden temporary file, which does not count.
    public func missing(fileManager: FileManager = .default) -> [Entry] {
        entries.filter { entry in
            var isFolder: ObjCBool = false
            return !(fileManager.fileExists(atPath: entry.path, isDirectory: &isFolder) && !isFolder.boolValue)
        }
    }
}
