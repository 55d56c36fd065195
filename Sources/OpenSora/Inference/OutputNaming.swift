// Reference: opensora/utils/inference_utils.py@v1.2.0 (get_save_path_name); spec/inference.md §11.1.
import Foundation

/// Output names: `<save_dir>/<prefix>_<index:04>` (or the prompt itself), `-k` for several samples.
public enum OutputNaming {
    public static func path(saveDirectory: String, sampleName: String?, index: Int, prompt: String, promptAsPath: Bool,
                            sampleCount: Int, sample: Int) -> String {
        let prefix = sampleName ?? (promptAsPath ? "" : "sample")
        let suffix = promptAsPath ? prompt : "_" + String(format: "%04d", index)
        var path = (saveDirectory as NSString).appendingPathComponent(prefix + suffix)
        if sampleCount != 1 { path += "-\(sample)" }
        return path
    }
}
