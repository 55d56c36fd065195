// Reference: opensora/models/layers/blocks.py@v1.2.0 (T2IFinalLayer); spec/stdit3.md §5.12.
import MLXTensor
import NN

/// LayerNorm, modulation by the timestep(+fps) embedding `t` (not `t_block`'s output), Linear to
/// patch·out channels. With a frame mask, conditioning frames take the t = 0 branch, which the
/// reference computes from norm(already-modulated x) — reproduced on purpose (spec pitfall 7).
public final class FinalLayer: Module {
    @Parameter(key: "scale_shift_table") public var scaleShiftTable: Tensor
    public let linear: Linear

    /// `scale_shift_table` is `randn(2, C)/√C` as T2IFinalLayer constructs it.
    public init(hiddenSize: Int, patchVolume: Int, outChannels: Int, key: RandomKey) {
        let keys = key.split(into: 2)
        linear = Linear(hiddenSize, patchVolume * outChannels, key: keys[1])
        super.init()
        scaleShiftTable = Tensor.normal([2, hiddenSize], key: keys[0]) / Float(hiddenSize).squareRoot()
    }

    /// `x` [B, T·S, C], `t` [B, C] → [B, T·S, patch·out]
    public func callAsFunction(_ x: Tensor, t: Tensor, t0: Tensor? = nil, frameMask: Tensor? = nil,
                               frames: Int, tokensPerFrame: Int) -> Tensor {
        if x.failure != nil { return x }
        if t.failure != nil { return t }
        let m = (scaleShiftTable.expandedDims(0) + t.expandedDims(1)).split(parts: 2, axis: 1)
        var h = x.layerNormModulated(shift: m[0], scale: m[1], eps: 1e-6)
        if let t0, let frameMask {
            let m0 = (scaleShiftTable.expandedDims(0) + t0.expandedDims(1)).split(parts: 2, axis: 1)
            let h0 = h.layerNormModulated(shift: m0[0], scale: m0[1], eps: 1e-6)
            h = t2iFrameSelect(frameMask, h, h0, frames: frames, tokensPerFrame: tokensPerFrame)
        }
        return linear(h)
    }
}
