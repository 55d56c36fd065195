import MLXTensor

/// Loss and gradients with respect to a module's trainable parameters, by path.
extension Module {
    /// Evaluates `loss` (which reads the module's current parameters) and differentiates it with
    /// respect to every trainable parameter. The module is left with its original tensors.
    public func valueAndGrad(_ loss: () throws -> Tensor) throws -> (loss: Tensor, grads: [String: Tensor]) {
        let params = trainableParameters()
        let paths = params.map(\.0)
        let original = Dictionary(params, uniquingKeysWith: { a, _ in a })
        defer { try? update(parameters: original) }
        let (values, grads) = try MLXTensor.valueAndGrad(of: { inputs in
            try self.update(parameters: Dictionary(uniqueKeysWithValues: zip(paths, inputs)))
            return [try loss()]
        }, at: params.map(\.1))
        return (values[0], Dictionary(uniqueKeysWithValues: zip(paths, grads)))
    }
}
