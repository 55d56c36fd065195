import CMLX
import Foundation

/// The shim's vectorised, multi-threaded CPU kernels (GELU, SiLU, LayerNorm + modulate, softmax).
/// Used for float32 work on the CPU; GPU streams keep MLX's own kernels. `OPENSORA_CPU_KERNELS=0`
/// falls back to MLX's composed ops everywhere (the reference path the kernels are tested against).
public enum CPUKernels {
    /// Read once: ops consult the switch on every call.
    private static let environmentDefault = ProcessInfo.processInfo.environment["OPENSORA_CPU_KERNELS"] != "0"
    /// The scoped override: task-local, so concurrent tests and jobs cannot see each other's choice.
    @TaskLocal private static var override: Bool?

    /// Whether the kernels are used here: the innermost `withEnabled` scope, else the environment.
    public static var enabled: Bool { override ?? environmentDefault }

    /// Runs `body` with the kernels switched on or off for this task (and the tasks it starts) only.
    public static func withEnabled<R>(_ on: Bool, _ body: () throws -> R) rethrows -> R {
        try $override.withValue(on, operation: body)
    }

    public static func withEnabled<R>(_ on: Bool, _ body: () async throws -> R) async rethrows -> R {
        try await $override.withValue(on, operation: body)
    }

    static func applies(to t: Tensor) -> Bool {
        applies(enabled: enabled, dtype: t.dtype, failed: t.failure != nil, device: Runtime.defaultDevice)
    }

    /// The decision, with the device passed in: kernels are CPU-only primitives, so arrays on a
    /// GPU stream (a CUDA or Metal build) must never be routed into them.
    static func applies(enabled: Bool, dtype: DType, failed: Bool, device: Runtime.Device) -> Bool {
        enabled && !failed && dtype == .float32 && device == .cpu
    }
}

extension Tensor {
    /// LayerNorm over the last axis without affine, then ·(1 + scale) + shift (adaLN's t2i_modulate),
    /// in one pass on the CPU. `shift`/`scale` are [B, 1, C] against self [B, N, C].
    public func layerNormModulated(shift: Tensor, scale: Tensor, eps: Float) -> Tensor {
        if let f = Tensor.failed(self, shift, scale) { return f }
        if CPUKernels.applies(to: self), shift.dtype == .float32, scale.dtype == .float32 {
            return Tensor.op(self, shift, scale) { cmlx_kernel_layer_norm_modulate($0, self.handle, shift.handle, scale.handle, eps) }
        }
        return layerNorm(eps: eps).modulated(shift: shift, scale: scale)
    }

    /// t2i_modulate: x·(1 + scale) + shift (adaLN's modulation, the fused kernel's composed form).
    public func modulated(shift: Tensor, scale: Tensor) -> Tensor { self * (1 + scale) + shift }

    /// self + gate·o with gate [B, 1, C] against self/o [B, N, C] (adaLN's gated residual), one pass on the CPU.
    public func addingGated(_ o: Tensor, gate: Tensor) -> Tensor {
        if let f = Tensor.failed(self, o, gate) { return f }
        if CPUKernels.applies(to: self), o.dtype == .float32, gate.dtype == .float32, o.shape == shape, ndim == 3, gate.ndim == 3 {
            return Tensor.op(self, gate, o) { cmlx_kernel_gated_residual($0, self.handle, gate.handle, o.handle) }
        }
        return self + gate * o
    }

    func kernelGeluTanh() -> Tensor { Tensor.op(self) { cmlx_kernel_gelu_tanh($0, self.handle) } }
    func kernelSiLU() -> Tensor { Tensor.op(self) { cmlx_kernel_silu($0, self.handle) } }
    func kernelSoftmax() -> Tensor { Tensor.op(self) { cmlx_kernel_softmax($0, self.handle) } }
    func kernelLayerNorm(eps: Float) -> Tensor { Tensor.op(self) { cmlx_kernel_layer_norm_modulate($0, self.handle, nil, nil, eps) } }
}

extension Tensor {
    /// The transpose materialised row-contiguous: on the CPU a multi-threaded copy (MLX copies strided
    /// views on one thread), so the reshape after it is free. Elsewhere the strided view.
    public func transposedContiguous(_ axes: Int...) -> Tensor {
        guard CPUKernels.applies(to: self) else { return transposed(axes) }
        return withInt32(axes) { a, n in Tensor.op(self) { cmlx_kernel_transpose($0, self.handle, a, n) } }
    }
}
