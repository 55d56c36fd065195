import ArgumentParser
import Foundation
import OpenSoraTraining

/// `opensora data filter`: the reference's `datautil` filters and caption/path processing on dataset CSVs.
struct DataFilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Filter, clean and sort dataset CSVs as the reference's datautil does (its flags, order and output names).",
        discussion: """
        Operations run in datautil's fixed order: difference/intersection, --ext, caption and path filters, path and
        caption processing, sorting, numeric filters, --shuffle, --head, --train-column. Without --output the result is
        written beside the first input, named after the inputs and the operations (meta_info_fmin1.csv, …).

        Example:
          opensora data filter meta_info.csv --fmin 1 --aesmin 5
        """)

    @Argument(help: "Input CSVs (concatenated).") var inputs: [String]
    @Option(help: "Output CSV (default: named as the reference names it).") var output: String?
    @Option(help: "Drop rows whose path is in this CSV.") var difference: String?
    @Option(help: "Keep rows whose path is in this CSV, adding its other columns.") var intersection: String?
    @Flag(help: "Keep rows whose file exists.") var ext = false
    @Flag(help: "Drop captions with a URL.") var removeURL = false
    @Flag(help: "Drop rows with an empty path.") var removeEmptyPath = false
    @Flag(help: "Drop rows with an empty caption.") var removeEmptyCaption = false
    @Flag(help: "Keep the first row of each path.") var removePathDuplication = false
    @Flag(help: "Keep the first row of each caption.") var removeTextDuplication = false
    @Option(help: "Keep paths matching this regular expression.") var pathSubset: String?
    @Option(help: "Make paths relative to this folder.") var relpath: String?
    @Option(help: "Make relative paths absolute under this folder.") var abspath: String?
    @Flag(help: "Add an id column from the file name.") var pathToID = false
    @Flag(help: "Append ' Camera motion: X.' from the cmotion column.") var mergeCmotion = false
    @Option(help: "Append this text to every caption.") var appendText: String?
    @Flag(help: "Append ' [aesthetic score: A, motion score: F]' (each part kept with probability 0.8).") var scoreToText = false
    @Flag(help: "Clean captions as T5's pipeline does (generate's prompt cleaner).") var cleanCaption = false
    @Option(help: "Sort by this column, descending.") var sort: String?
    @Option(help: "Sort by this column, ascending.") var sortAscending: String?
    @Option(help: "Minimum num_frames.") var fmin: Int?
    @Option(help: "Maximum num_frames.") var fmax: Int?
    @Option(help: "Maximum fps (rows without fps kept).") var fpsmax: Double?
    @Option(help: "Maximum resolution (height × width).") var hwmax: Int?
    @Option(help: "Minimum aes.") var aesmin: Double?
    @Option(help: "Minimum match.") var matchmin: Double?
    @Option(help: "Minimum flow.") var flowmin: Double?
    @Flag(help: "Keep images only.") var imgOnly = false
    @Flag(help: "Keep videos only.") var vidOnly = false
    @Flag(help: "Shuffle the rows (seeded).") var shuffle = false
    @Option(help: "Keep the first N rows.") var head: Int?
    @Flag(help: "Keep only the columns training reads.") var trainColumn = false
    @Option(help: "Write N shards (OUTPUT_0.csv …) instead of one file.") var shard: Int?
    @Option(help: "Seed of --shuffle and --score-to-text.") var seed: UInt64 = 42

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("no input CSV given") }
        if sort != nil && sortAscending != nil { throw ValidationError("--sort and --sort-ascending exclude each other") }
        if imgOnly && vidOnly { throw ValidationError("--img-only and --vid-only exclude each other") }
        if let shard, shard < 1 { throw ValidationError("--shard \(shard); accepted: at least 1") }
        if let head, head < 0 { throw ValidationError("--head \(head); accepted: at least 0") }
    }

    func filter() throws -> DatasetFilter {
        var f = DatasetFilter()
        f.difference = try difference.map(Self.read)
        f.intersection = try intersection.map(Self.read)
        (f.existingFilesOnly, f.removeURL, f.removeEmptyPath, f.removeEmptyCaption) = (ext, removeURL, removeEmptyPath, removeEmptyCaption)
        (f.removePathDuplication, f.removeTextDuplication, f.pathSubset) = (removePathDuplication, removeTextDuplication, pathSubset)
        (f.relpath, f.abspath, f.pathToID, f.mergeCameraMotion) = (relpath, abspath, pathToID, mergeCmotion)
        (f.appendText, f.scoreToText, f.cleanCaption, f.sort, f.sortAscending) = (appendText, scoreToText, cleanCaption, sort, sortAscending)
        (f.fmin, f.fmax, f.fpsmax, f.hwmax, f.aesmin, f.matchmin, f.flowmin) = (fmin, fmax, fpsmax, hwmax, aesmin, matchmin, flowmin)
        (f.imagesOnly, f.videosOnly, f.shuffle, f.head, f.trainColumns, f.seed) = (imgOnly, vidOnly, shuffle, head, trainColumn, seed)
        return f
    }

    func run() throws {
        let f = try filter()
        let table = try CSVTable.concatenating(inputs.map(Self.read))
        let result = try f.apply(to: table, source: inputs.joined(separator: "+"))
        let out = output ?? f.outputPath(inputs: inputs, differenceFile: difference)
        try Self.save(result, to: out, shards: shard)
        print("\(table.records.count) rows in, \(result.records.count) out")
    }

    static func read(_ path: String) throws -> CSVTable {
        try CSVTable(parsing: String(contentsOfFile: path, encoding: .utf8), source: path)
    }

    /// One file, or `shards` files named OUTPUT_i.csv (np.array_split's sizes).
    static func save(_ table: CSVTable, to out: String, shards: Int?) throws {
        guard let shards else {
            try table.write(to: out)
            print("saved \(table.records.count) rows to \(out)")
            return
        }
        for (i, part) in DatasetFilter.shards(table, into: shards).enumerated() {
            let path = DatasetFilter.shardPath(out, index: i)
            try part.write(to: path)
            print("saved \(part.records.count) rows to \(path)")
        }
    }
}

/// `opensora data merge`: CSVs concatenated over the union of their columns (datautil with several inputs).
struct DataMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Concatenate dataset CSVs (the union of their columns) into one.",
        discussion: "Example:\n  opensora data merge part0.csv part1.csv --output all.csv")

    @Argument(help: "Input CSVs.") var inputs: [String]
    @Option(help: "The CSV to write.") var output: String

    func run() throws {
        let table = try CSVTable.concatenating(inputs.map(DataFilterCommand.read))
        try DataFilterCommand.save(table, to: output, shards: nil)
    }
}

/// `opensora data split`: one CSV into N shards (datautil --shard).
struct DataSplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split", abstract: "Split a dataset CSV into N consecutive shards OUTPUT_0.csv … (sizes differ by at most one row).",
        discussion: "Example:\n  opensora data split meta.csv --shards 8        # meta_0.csv … meta_7.csv")

    @Argument(help: "The CSV to split.") var input: String
    @Option(help: "Number of shards.") var shards: Int
    @Option(help: "Base name of the shards (default: the input's).") var output: String?

    func validate() throws {
        guard shards >= 1 else { throw ValidationError("--shards \(shards); accepted: at least 1") }
    }

    func run() throws {
        try DataFilterCommand.save(try DataFilterCommand.read(input), to: output ?? input, shards: shards)
    }
}
