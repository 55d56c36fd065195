import MLXTensor

/// Exponential moving average of parameters: ema ← decay·ema + (1 − decay)·p
/// (Open-Sora's `update_ema`, spec/training.md §9.4; skips names listed in `excluded`).
public final class EMA {
    public let decay: Float
    public let excluded: Set<String>
    public private(set) var shadow: [String: Tensor]

    /// Starts as an exact copy of `parameters` (Open-Sora initialises with decay 0).
    public init(parameters: [String: Tensor], decay: Float = 0.99, excluded: Set<String> = ["pos_embed"]) {
        self.decay = decay
        self.excluded = excluded
        shadow = parameters
    }

    public func update(with parameters: [String: Tensor]) throws {
        for (path, p) in parameters where !excluded.contains(path) {
            guard let e = shadow[path] else { shadow[path] = p; continue }
            shadow[path] = e * decay + p * (1 - decay)
        }
        try Tensor.eval(Array(shadow.values))
    }
}
