import MLXTensor

/// Why `Module.update(parameters:)` refused a replacement: nothing is changed when it throws.
public enum ParameterUpdateError: Error, Equatable, CustomStringConvertible {
    /// Paths the module has no parameter for.
    case unknownPaths([String])
    /// A replacement whose shape differs from the parameter it would replace.
    case wrongShape(path: String, expected: [Int], got: [Int])

    public var description: String {
        switch self {
        case .unknownPaths(let paths): "[update] unknown parameter paths: \(paths.joined(separator: ", "))"
        case .wrongShape(let path, let expected, let got): "[update] \(path) has shape \(expected), the replacement \(got)"
        }
    }
}
