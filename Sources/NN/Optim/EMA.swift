import Foundation
import MLXTensor

/// Exponential moving average of parameters: ema ← decay·ema + (1 − decay)·p
/// (Open-Sora's `update_ema`, spec/training.md §9.4; skips names listed in `excluded`).
public final class EMA {
    public private(set) var decay: Float
    public private(set) var excluded: Set<String>
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

    // MARK: state

    static let format = "opensora.ema.v1"

    /// The averaged tensors under their parameter paths (a state_dict of the EMA model), with the
    /// decay and the excluded names as metadata.
    public func state() throws -> SafetensorsFile {
        let names = String(decoding: try JSONEncoder().encode(excluded.sorted()), as: UTF8.self)
        return SafetensorsFile(tensors: shadow, metadata: ["format": Self.format, "decay": "\(decay)", "excluded": names])
    }

    public func save(to path: String) throws { try Safetensors.save(state(), to: path) }

    /// Restores the state saved by `save(to:)`, checking names and shapes against `parameters`;
    /// on any error nothing changes.
    public func load(from path: String, parameters: [String: Tensor]) throws {
        try load(state: Safetensors.load(path), source: path, parameters: parameters)
    }

    /// `load(from:parameters:)` from a state already in memory (`source` names it in errors).
    public func load(state: SafetensorsFile, source: String, parameters: [String: Tensor]) throws {
        let file = try StateFile(file: state, source: source, format: Self.format)
        let d = try file.float("decay")
        let text = file.file.metadata["excluded"]
        guard let names = text.flatMap({ try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }) else {
            throw OptimizerStateError.badMetadata(path: source, key: "excluded", found: text, accepted: "a JSON list of names")
        }
        let tensors = try file.tensors(prefixes: [""], matching: parameters)[0]
        try Tensor.eval(Array(tensors.values))
        (decay, excluded, shadow) = (d, Set(names), tensors)
    }
}
