import ArgumentParser
import OpenSora

/// `opensora inspect --model NAME [--layout]`: parameter count, or the full state_dict layout in
/// the form of the official layout file, to diff against a real checkpoint.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Show a model's parameter count or its checkpoint layout.")

    @Option(help: "Model: \(ModelCatalog.models.map(\.id).joined(separator: ", ")).")
    var model: String

    @Flag(help: "Print every state_dict entry (name, PyTorch shape, dtype, kind) as JSON.")
    var layout = false

    func run() throws {
        let layout = try ModelCatalog.layout(model)
        if self.layout {
            print(layout.json)
        } else {
            print("\(layout.name): \(layout.totalParameters) parameters, \(layout.entries.count) state_dict entries "
                  + "(\(layout.totalStateDictElements) elements incl. buffers)")
        }
    }
}
