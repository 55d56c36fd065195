/// A generation setting the user got wrong, with the field's name as a request spells it, so a front
/// (the CLI's message, the server's 4xx body) can point at it; the message names the value and what is accepted.
public struct InvalidSetting: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field in the reference's snake_case spelling (`num_frames`, `cfg_scale`, …).
    public let field: String
    public let message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { message }
}
