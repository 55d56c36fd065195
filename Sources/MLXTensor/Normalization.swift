import CMLX

/// Normalisations over the last axis (MLX fast ops) and over channel groups.
extension Tensor {
    /// (x − mean)/√(var + eps) over the last axis, then ·weight + bias when given.
    public func layerNorm(weight: Tensor? = nil, bias: Tensor? = nil, eps: Float) -> Tensor {
        if weight == nil, bias == nil, CPUKernels.applies(to: self) { return kernelLayerNorm(eps: eps) }
        return layerNormComposed(weight: weight, bias: bias, eps: eps)
    }

    /// MLX's fast layer_norm (composed on CPU): the reference for the CPU kernel.
    public func layerNormComposed(weight: Tensor? = nil, bias: Tensor? = nil, eps: Float) -> Tensor {
        Tensor.op([self] + [weight, bias].compactMap { $0 }) {
            cmlx_fast_layer_norm($0, self.handle, weight?.handle, bias?.handle, eps)
        }
    }

    /// x/√(mean(x²) + eps) over the last axis, then ·weight when given.
    public func rmsNorm(weight: Tensor? = nil, eps: Float) -> Tensor {
        if let f = Tensor.failed(self, weight) { return f }
        if CPUKernels.applies(to: self), weight?.dtype ?? .float32 == .float32, weight.map({ $0.count == dim(-1) }) ?? true {
            return Tensor.op([self] + [weight].compactMap { $0 }) { cmlx_kernel_rms_norm($0, self.handle, weight?.handle, eps) }
        }
        return rmsNormComposed(weight: weight, eps: eps)
    }

    /// MLX's fast rms_norm (composed on CPU): the reference for the CPU kernel.
    public func rmsNormComposed(weight: Tensor? = nil, eps: Float) -> Tensor {
        Tensor.op([self] + [weight].compactMap { $0 }) { cmlx_fast_rms_norm($0, self.handle, weight?.handle, eps) }
    }

    /// GroupNorm on a channels-last tensor [N, spatial…, C]: statistics per sample over the spatial
    /// axes and C/groups channels (PyTorch's definition, population variance), then the affine, then
    /// SiLU when asked (the VAE's norm–activation pairs, fused on the CPU).
    public func groupNorm(groups: Int, weight: Tensor?, bias: Tensor?, eps: Float, silu: Bool = false) -> Tensor {
        if let f = Tensor.failed(self, weight, bias) { return f }
        if CPUKernels.applies(to: self), ndim >= 2, groups > 0, dim(-1) % groups == 0,
           weight?.dtype ?? .float32 == .float32, bias?.dtype ?? .float32 == .float32 {
            return Tensor.op([self] + [weight, bias].compactMap { $0 }) {
                cmlx_kernel_group_norm($0, self.handle, weight?.handle, bias?.handle, cInt(groups), eps, silu ? 1 : 0)
            }
        }
        let y = groupNormComposed(groups: groups, weight: weight, bias: bias, eps: eps)
        return silu ? y.siluComposed() : y
    }

    /// GroupNorm from MLX ops (the reference for the CPU kernel).
    public func groupNormComposed(groups: Int, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
        if let f = Tensor.failed(self, weight, bias) { return f }
        let s = shape
        guard s.count >= 2, let c = s.last, groups > 0, c % groups == 0 else {
            return Tensor(failure: .shapeMismatch("[group_norm] \(s.last ?? 0) channels (shape \(s)) do not split into \(groups) groups"))
        }
        let grouped = reshaped([s[0], -1, groups, c / groups])
        let mean = grouped.mean(axes: [1, 3], keepDims: true)
        let centered = grouped - mean
        let variance = centered.square().mean(axes: [1, 3], keepDims: true)
        var y = (centered * (variance + eps).rsqrt()).reshaped(s)
        if let weight { y = y * weight }
        if let bias { y = y + bias }
        return y
    }
}
