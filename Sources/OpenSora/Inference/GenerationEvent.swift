import Foundation

/// A stage of one generation, in data-flow order.
public enum GenerationStage: Equatable, Sendable, CustomStringConvertible {
    case loadingModels
    case encodingText
    case encodingReferences
    case encodingLoopCondition(loop: Int)
    case sampling(loop: Int)
    case decoding

    public var description: String {
        switch self {
        case .loadingModels: "loading models"
        case .encodingText: "encoding text"
        case .encodingReferences: "encoding references"
        case .encodingLoopCondition(let loop): "encoding loop \(loop) condition"
        case .sampling(let loop): loop == 0 ? "sampling" : "sampling loop \(loop)"
        case .decoding: "decoding"
        }
    }
}

/// What a running generation reports: a stage starting, a sampling step done (with timing), a video done.
public enum GenerationEvent: Sendable {
    case stage(GenerationStage)
    /// Step `index` (1-based) of `total` finished; `elapsed` seconds since the stage began.
    case step(index: Int, total: Int, elapsed: Double)
    /// Video `index` of the request (prompt-major, then sample) is complete.
    case video(index: Int)

    /// Seconds left in the stage, extrapolated from the steps so far (nil before the first step).
    public var eta: Double? {
        guard case .step(let index, let total, let elapsed) = self, index > 0 else { return nil }
        return elapsed / Double(index) * Double(total - index)
    }
}

/// The handler's answer to an event: go on, or stop at the next step.
public enum GenerationControl: Sendable {
    case proceed
    case cancel
}

/// Thrown when an event handler answered `.cancel`; nothing after that step was computed.
public struct GenerationCancelled: Error, CustomStringConvertible {
    public let stage: GenerationStage
    public var description: String { "generation cancelled during \(stage)" }
}

/// Receives every event; its answer can cancel the run.
public typealias GenerationEventHandler = (GenerationEvent) -> GenerationControl
