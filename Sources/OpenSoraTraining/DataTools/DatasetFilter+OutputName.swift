// Reference: tools/datasets/datautil.py@v1.2.0 (get_output_path: the inputs' stems joined by "+", in the first input's
// folder, then one suffix per operation in this fixed order); spec/tools.md §12.
import Foundation

extension DatasetFilter {
    /// The file the reference would write for `inputs` with these operations (`differenceName`/`intersection` do not
    /// add suffixes; the difference adds "-STEM" to the name as the reference does).
    public func outputPath(inputs: [String], differenceFile: String? = nil) -> String {
        var name = inputs.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }.joined(separator: "+")
        if let differenceFile { name += "-" + (((differenceFile as NSString).lastPathComponent).split(separator: ".").first.map(String.init) ?? "") }
        func python(_ x: Double) -> String { "\(x)" }
        let suffixes: [(Bool, String)] = [
            (sort != nil || sortAscending != nil, "_sort"), (existingFilesOnly, "_ext"),
            (relpath != nil, "_relpath"), (abspath != nil, "_abspath"), (removeEmptyPath, "_noemptypath"),
            (removeEmptyCaption, "_noempty"), (removeURL, "_nourl"), (removePathDuplication, "_noduppath"),
            (removeTextDuplication, "_noduptext"), (pathSubset != nil, "_subset"), (cleanCaption, "_clean"),
            (mergeCameraMotion, "_cmcaption"), (appendText != nil, "_appendtext"), (scoreToText, "_score2text"),
            (fmin != nil, "_fmin\(fmin ?? 0)"), (fmax != nil, "_fmax\(fmax ?? 0)"), (fpsmax != nil, "_fpsmax\(python(fpsmax ?? 0))"),
            (hwmax != nil, "_hwmax\(hwmax ?? 0)"), (aesmin != nil, "_aesmin\(python(aesmin ?? 0))"),
            (matchmin != nil, "_matchmin\(python(matchmin ?? 0))"), (flowmin != nil, "_flowmin\(python(flowmin ?? 0))"),
            (imagesOnly, "_img"), (videosOnly, "_vid"), (shuffle, "_shuffled_seed\(seed)"), (head != nil, "_first_\(head ?? 0)_data"),
        ]
        for (on, suffix) in suffixes where on { name += suffix }
        let folder = ((inputs.first ?? ".") as NSString).deletingLastPathComponent
        return ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(name + ".csv")
    }

    /// Shard `i`'s file: "_i" before the extension.
    public static func shardPath(_ path: String, index i: Int) -> String {
        ((path as NSString).deletingPathExtension) + "_\(i)." + ((path as NSString).pathExtension.isEmpty ? "csv" : (path as NSString).pathExtension)
    }
}
