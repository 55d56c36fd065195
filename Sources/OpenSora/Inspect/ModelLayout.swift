// Reference: shared/fixtures/parity/checkpoint.layout__released.json (its per-model form).
import Foundation
import MLXTensor
import NN

/// A model's state_dict as names, PyTorch-layout shapes, dtypes and kinds, in registration order —
/// what `opensora inspect --layout` prints so a user can diff it against a real checkpoint.
public struct ModelLayout: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public let name: String
        public let shape: [Int]
        public let dtype: String
        /// "parameter" or "buffer"
        public let kind: String

        public init(name: String, shape: [Int], dtype: String, kind: String) {
            self.name = name
            self.shape = shape
            self.dtype = dtype
            self.kind = kind
        }
    }

    public let name: String
    public let entries: [Entry]
    /// Entries that are a second name of an earlier entry's tensor (tied weights), counted once.
    public private(set) var tiedNames: Set<String> = []

    /// Built from shapes only: tensors of a freshly built model are lazy and never evaluated here.
    public init(name: String, module: Module) {
        self.name = name
        let layouts = module.parameterLayouts(), buffers = module.bufferPaths()
        var seen = Set<ObjectIdentifier>(), tied = Set<String>()
        for (path, t) in module.namedParameters() where !seen.insert(ObjectIdentifier(t)).inserted { tied.insert(path) }
        tiedNames = tied
        entries = module.namedParameters().map { path, t in
            Entry(name: path, shape: layouts[path, default: .identity].toPyTorch(shape: t.shape), dtype: "\(t.dtype)",
                  kind: buffers.contains(path) ? "buffer" : "parameter")
        }
    }

    public init(name: String, entries: [Entry]) {
        self.name = name
        self.entries = entries
    }

    /// Elements of the parameters (buffers excluded), each counted once.
    public var totalParameters: Int {
        entries.filter { $0.kind == "parameter" && !tiedNames.contains($0.name) }.reduce(0) { $0 + $1.shape.reduce(1, *) }
    }
    public var totalStateDictElements: Int { entries.reduce(0) { $0 + $1.shape.reduce(1, *) } }

    /// The fixture's JSON form, one entry per line.
    public var json: String {
        let lines = entries.map {
            "    {\"name\": \"\($0.name)\", \"shape\": [\($0.shape.map(String.init).joined(separator: ", "))], "
                + "\"dtype\": \"\($0.dtype)\", \"kind\": \"\($0.kind)\"}"
        }
        return """
        {
          "name": "\(name)",
          "total_parameters": \(totalParameters),
          "total_state_dict_elements": \(totalStateDictElements),
          "num_entries": \(entries.count),
          "entries": [
        \(lines.joined(separator: ",\n"))
          ]
        }
        """
    }
}
