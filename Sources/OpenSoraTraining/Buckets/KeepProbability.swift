// Reference: opensora/datasets/bucket.py@v1.2.0 (Bucket.get_bucket_id: `isinstance(prob, tuple)`); spec/training.md §4.1.

/// How often a (resolution, frame count) bucket accepts a sample that reaches it.
public enum KeepProbability: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A float: the chance to keep the resolution.
    case single(Double)
    /// A tuple `(res_keep, frames_keep)`: `frames` skips this length (the sample tries a shorter one),
    /// `resolution` rejects the resolution once a length is chosen (the sample tries a smaller one).
    case split(resolution: Double, frames: Double)

    /// The probability applied to the resolution (`prob[0]` for a tuple).
    public var resolutionKeep: Double {
        switch self {
        case .single(let p), .split(let p, _): p
        }
    }

    /// The chance of not skipping this length, when one is configured.
    public var framesKeep: Double? {
        if case .split(_, let f) = self { f } else { nil }
    }

    /// The same form with every probability 1 (the fixture's `_keep1` configs).
    public var alwaysKept: KeepProbability {
        switch self {
        case .single: .single(1)
        case .split: .split(resolution: 1, frames: 1)
        }
    }

    public var description: String {
        switch self {
        case .single(let p): "\(p)"
        case .split(let r, let f): "(\(r), \(f))"
        }
    }
}
