import ArgumentParser
import Foundation
import OpenSoraTraining

extension MediaKind: ExpressibleByArgument {}

/// `opensora data convert`: a folder of media files → an Open-Sora CSV (tools/datasets/convert.py).
struct DataConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "List the videos (path, id, relpath) or images (id, path) under a folder, recursively, as a CSV.",
        discussion: """
        Videos: .mp4 .avi .mov .mkv; images: .jpg .jpeg .png .ppm .bmp .pgm .tif .tiff .webp (the reference's lists).

        Example:
          opensora data convert video raw/ --output meta.csv
        """)

    @Argument(help: "What to list: video or image.")
    var kind: MediaKind

    @Argument(help: "The folder to walk.")
    var root: String

    @Option(help: "The CSV to write.")
    var output: String

    func run() throws {
        let table = try MediaListing.table(root: root, kind: kind)
        try table.write(to: output)
        print("\(output): \(table.records.count) \(kind.rawValue)s")
    }
}
