import Foundation
import MLXTensor

/// Loading official checkpoints by name: every tensor is matched to the module's parameter of the
/// same dotted path, converted from PyTorch layout once, and checked for shape.
extension Module {
    /// Loads `weights` (PyTorch names and layouts). Strict loading throws a report naming every
    /// missing, unexpected or wrong-shape key; non-strict loads what matches and returns the report.
    /// Tensors are cast to `dtype`, or to the dtype the parameter already has.
    @discardableResult
    public func loadWeights(from weights: [String: Tensor], strict: Bool = true, dtype: DType? = nil) throws -> LoadReport {
        var weights = weights
        for (alias, source) in parameterAliases where weights[alias] == nil {
            if let t = weights[source] { weights[alias] = t }
        }
        var report = LoadReport()
        let current = Dictionary(namedParameters(), uniquingKeysWith: { a, _ in a })
        let layouts = parameterLayouts()
        var updates = [String: Tensor]()
        for (path, tensor) in weights.sorted(by: { $0.key < $1.key }) {
            guard let existing = current[path], let layout = layouts[path] else {
                report.unexpected.append(path)
                continue
            }
            try tensor.checked()
            let expected = layout.toPyTorch(existing).shape
            guard tensor.shape == expected else {
                report.wrongShape.append(.init(path: path, expected: expected, found: tensor.shape))
                continue
            }
            let converted = layout.fromPyTorch(tensor)
            let type = dtype ?? existing.dtype
            updates[path] = converted.dtype == type ? converted : converted.asType(type)
        }
        report.missing = current.keys.filter { weights[$0] == nil }.sorted()
        if strict && !report.isClean { throw CheckpointError.mismatch(report) }
        try update(parameters: updates)
        report.loaded = updates.count
        return report
    }

    /// Loads a safetensors checkpoint file or folder (see `CheckpointFiles`; OpenSora's
    /// `ModelFolder.tensors` also reads PyTorch `.bin`).
    @discardableResult
    public func loadWeights(path: String, strict: Bool = true, dtype: DType? = nil) throws -> LoadReport {
        try loadWeights(from: CheckpointFiles.tensors(at: path), strict: strict, dtype: dtype)
    }

    /// The state_dict in PyTorch names and layouts (what `loadWeights` accepts back).
    public func stateDict() -> [String: Tensor] {
        pyTorchLayout(Dictionary(namedParameters(), uniquingKeysWith: { a, _ in a }))
    }

    /// Tensors by parameter path, from this module's layouts to PyTorch's (a state_dict of other values: masters, EMA).
    public func pyTorchLayout(_ tensors: [String: Tensor]) -> [String: Tensor] {
        let layouts = parameterLayouts()
        return tensors.reduce(into: [:]) { $0[$1.key] = layouts[$1.key, default: .identity].toPyTorch($1.value) }
    }

    /// The inverse of `pyTorchLayout`, as row-major copies: a transposed view would send the kernels down another
    /// path (other rounding) than freshly computed tensors take, and a resumed run would no longer be bit-exact.
    public func ownLayout(_ tensors: [String: Tensor]) -> [String: Tensor] {
        let layouts = parameterLayouts()
        return tensors.reduce(into: [:]) { $0[$1.key] = layouts[$1.key, default: .identity].fromPyTorch($1.value).contiguous() }
    }

    /// Writes the state_dict to a safetensors file (atomically).
    public func saveWeights(to path: String, metadata: [String: String] = [:]) throws {
        try Safetensors.save(SafetensorsFile(tensors: stateDict(), metadata: metadata), to: path)
    }
}
