// Reference: opensora/acceleration/checkpoint.py@v1.2.0 (auto_grad_checkpoint: torch.utils.checkpoint
// around a block); mlx python's mx.checkpoint(module), which passes the parameters as inputs.
import MLXTensor

/// Gradient checkpointing of one module call: the activations inside are recomputed in the
/// backward pass instead of kept.
extension Module {
    /// `body(inputs)`, recomputed in the backward pass when a gradient is being traced; outside one it
    /// is just `body(inputs)`. The module's trainable parameters are passed to MLX's checkpoint as
    /// explicit inputs (set on the module while `body` runs, restored after), so their gradients
    /// flow; every other tensor `body` reads that depends on trainable parameters must be in
    /// `inputs` too. Only traced tensors go in: constants (frozen parameters, masks) stay as they
    /// are, so the backward pass computes no gradient that nobody reads. `body` is called again
    /// during the backward pass, possibly after this returns.
    public func recomputingActivations(
        _ inputs: [Tensor], _ body: @escaping ([Tensor]) throws -> [Tensor]
    ) throws -> [Tensor] {
        guard GradientTrace.isActive else { return try body(inputs) }
        let params = trainableParameters().filter { $0.1.isTraced }
        let traced = inputs.indices.filter { inputs[$0].isTraced }
        if params.isEmpty && traced.isEmpty { return try body(inputs) }
        let paths = params.map(\.0)
        let function = try CheckpointedFunction { [weak self] all in
            guard let self else { throw TensorError.invalidArgument("[recomputingActivations] the module was freed before its backward pass") }
            var ins = inputs
            for (k, i) in traced.enumerated() { ins[i] = all[k] }
            let current = Dictionary(self.trainableParameters(), uniquingKeysWith: { a, _ in a })
            try self.update(parameters: Dictionary(uniqueKeysWithValues: zip(paths, all[traced.count...])))
            defer { try? self.update(parameters: current) }
            return try body(ins)
        }
        return try function(traced.map { inputs[$0] } + params.map(\.1))
    }

    /// The one-tensor form for layers that do not throw: a failure comes back as a failed tensor.
    public func recomputingActivations(_ x: Tensor, _ body: @escaping (Tensor) -> Tensor) -> Tensor {
        if x.failure != nil { return x }
        do {
            return try recomputingActivations([x]) { [body($0[0])] }[0]
        } catch {
            return Tensor(failure: error as? TensorError ?? .mlx("\(error)"))
        }
    }
}

extension UnaryLayer {
    /// `self(x)` with its activations recomputed in the backward pass (see `recomputingActivations`).
    public func recomputed(_ x: Tensor) -> Tensor { recomputingActivations(x) { [unowned self] in self($0) } }

    /// `self(x)`, recomputed in the backward pass when `recomputing` is true (a model's checkpointing flag).
    public func callAsFunction(_ x: Tensor, recomputing: Bool) -> Tensor { recomputing ? recomputed(x) : self(x) }
}
