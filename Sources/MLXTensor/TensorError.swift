/// What can go wrong with tensors: each case names the offending value.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    /// MLX rejected an operation (its message starts with the op name, e.g. "[matmul] …").
    case mlx(String)
    /// A caller-side argument is out of range or inconsistent.
    case invalidArgument(String)
    /// Shapes do not fit together.
    case shapeMismatch(String)
    /// A file could not be read, or is not what it claims to be.
    case badFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .mlx(let m): "MLX: \(m)"
        case .invalidArgument(let m): m
        case .shapeMismatch(let m): m
        case .badFile(let path, let reason): "\(path): \(reason)"
        }
    }
}
