/// A user-facing error of the system: a one-line message naming the bad value and what is accepted.
public enum OpenSoraError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case invalidInput(String)
    case unknownModel(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let m), .invalidInput(let m), .unknownModel(let m): m
        }
    }
}
