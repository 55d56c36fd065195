import CMLX

/// Element-wise functions and activations.
extension Tensor {
    public func abs() -> Tensor { unary(CMLX_ABS) }
    public func exp() -> Tensor { unary(CMLX_EXP) }
    public func log() -> Tensor { unary(CMLX_LOG) }
    public func log1p() -> Tensor { unary(CMLX_LOG1P) }
    public func sqrt() -> Tensor { unary(CMLX_SQRT) }
    public func rsqrt() -> Tensor { unary(CMLX_RSQRT) }
    public func sin() -> Tensor { unary(CMLX_SIN) }
    public func cos() -> Tensor { unary(CMLX_COS) }
    public func tanh() -> Tensor { unary(CMLX_TANH) }
    public func erf() -> Tensor { unary(CMLX_ERF) }
    public func erfinv() -> Tensor { unary(CMLX_ERFINV) }
    public func sigmoid() -> Tensor { unary(CMLX_SIGMOID) }
    public func square() -> Tensor { unary(CMLX_SQUARE) }
    public func floor() -> Tensor { unary(CMLX_FLOOR) }
    public func ceil() -> Tensor { unary(CMLX_CEIL) }
    public func rounded() -> Tensor { unary(CMLX_ROUND) }
    public func reciprocal() -> Tensor { unary(CMLX_RECIPROCAL) }
    public func isNaN() -> Tensor { unary(CMLX_ISNAN) }
    /// The same values with no gradient flowing back through them.
    public func stopGradient() -> Tensor { unary(CMLX_STOP_GRADIENT) }
    /// A materialised copy.
    public func copy() -> Tensor { unary(CMLX_COPY) }

    /// x·sigmoid(x)
    public func silu() -> Tensor { CPUKernels.applies(to: self) ? kernelSiLU() : siluComposed() }
    public func siluComposed() -> Tensor { self * sigmoid() }

    /// Exact GELU, x·Φ(x) (PyTorch `approximate="none"`).
    public func gelu() -> Tensor { self * (1 + (self * Float(0.5.squareRoot())).erf()) * 0.5 }

    /// tanh-approximated GELU (PyTorch `approximate="tanh"`), as STDiT3's MLP and T5 v1.1 use it.
    public func geluTanh() -> Tensor { CPUKernels.applies(to: self) ? kernelGeluTanh() : geluTanhComposed() }

    /// The composed tanh GELU (MLX ops only): the reference the CPU kernel is tested against.
    public func geluTanhComposed() -> Tensor {
        let c = Float((2.0 / Double.pi).squareRoot())
        return 0.5 * self * (1 + (c * (self + 0.044715 * self * self * self)).tanh())
    }

    public func relu() -> Tensor { maximum(0) }
}
