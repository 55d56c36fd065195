import MLXTensor

/// What loading a checkpoint into a module found: names the module expects but the checkpoint
/// lacks, names the checkpoint has but the module does not, and shape disagreements.
public struct LoadReport: Equatable, Sendable, CustomStringConvertible {
    public struct ShapeMismatch: Equatable, Sendable {
        public let path: String
        /// In the checkpoint's (PyTorch) layout.
        public let expected: [Int]
        public let found: [Int]

        public init(path: String, expected: [Int], found: [Int]) {
            self.path = path
            self.expected = expected
            self.found = found
        }
    }

    public var missing: [String] = []
    public var unexpected: [String] = []
    public var wrongShape: [ShapeMismatch] = []
    public var loaded: Int = 0

    public var isClean: Bool { missing.isEmpty && unexpected.isEmpty && wrongShape.isEmpty }

    /// How many names of each kind the description lists (the arrays keep them all).
    public static let listedPerKind = 8

    /// One readable line even for a checkpoint of the wrong model: the first few names of each
    /// kind and how many there are.
    public var description: String {
        func list(_ kind: String, _ items: [String]) -> String? {
            guard !items.isEmpty else { return nil }
            let shown = items.prefix(Self.listedPerKind).joined(separator: ", ")
            let more = items.count > Self.listedPerKind ? ", and \(items.count - Self.listedPerKind) more" : ""
            return "\(items.count) \(kind) (\(shown)\(more))"
        }
        let parts = ["loaded \(loaded) tensors", list("missing", missing), list("unexpected", unexpected),
                     list("of the wrong shape", wrongShape.map { "\($0.path) expected \($0.expected) found \($0.found)" })]
        return parts.compactMap { $0 }.joined(separator: "; ")
    }
}

public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// Strict loading found a mismatch; the report names every key.
    case mismatch(LoadReport)
    /// No checkpoint at the path, or not one of the accepted forms.
    case notFound(path: String, accepted: String)

    public var description: String {
        switch self {
        case .mismatch(let r): "checkpoint does not match the model: \(r)"
        case .notFound(let path, let accepted): "no checkpoint at \(path): expected \(accepted)"
        }
    }
}
