// Reference: mlx/transforms.cpp (mx::checkpoint, via custom_vjp; the shim adds two ordering edges,
// see cmlx_checkpoint); torch.utils.checkpoint, as opensora/acceleration/checkpoint.py@v1.2.0 applies it.
import CMLX

/// A function whose activations are recomputed in the backward pass instead of kept (gradient
/// checkpointing): under `valueAndGrad`/`vjp` its outputs hold on to its inputs only, and the
/// backward pass calls `body` again on them. Same values and gradients as calling `body` directly.
///
/// Gradients reach the *explicit* inputs only: a tensor `body` captures (a module's parameters, a
/// caption computed outside) is a constant to it, so pass everything trainable as an input.
///
/// The body is escaping and kept by MLX's graph, not by this object: the backward pass may call it
/// after the `CheckpointedFunction` itself is gone, so it lives as long as any output's graph does.
public final class CheckpointedFunction {
    private let source: Closure
    private let checkpointed: Closure

    public init(_ body: @escaping ([Tensor]) throws -> [Tensor]) throws {
        source = Closure(body)
        var out: cmlx_closure? = nil
        try check(cmlx_checkpoint(&out, source.raw))
        guard let out else { throw TensorError.mlx("[checkpoint] no closure returned") }
        checkpointed = Closure(raw: out, box: source.box)
    }

    public func callAsFunction(_ inputs: [Tensor]) throws -> [Tensor] { try checkpointed.apply(inputs) }
}

/// Whether this thread is inside `valueAndGrad` or `vjp` (tracing the function or building its
/// backward pass): outside one, recomputation has nothing to save and callers just run the body.
public enum GradientTrace {
    public static var isActive: Bool { cmlx_in_grad_trace() != 0 }
}

extension Tensor {
    /// Whether this tensor depends on an input that a running `valueAndGrad`/`vjp` differentiates
    /// (MLX calls it a tracer); false for constants such as frozen parameters and masks.
    public var isTraced: Bool { handle.map { cmlx_array_is_tracer($0) != 0 } ?? false }
}
