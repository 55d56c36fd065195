// Reference: opensora/models/layers/blocks.py@v1.2.0 (PatchEmbed3D); spec/stdit3.md §5.2, §5.6.
import MLXTensor
import NN

/// Video latents to tokens: zero-pad T, H, W at the end to patch multiples, then a Conv3d with
/// kernel = stride = patch. Output tokens are frame-major: index = t·S + h·W + w.
public final class PatchEmbed3D: Module {
    public let proj: Convolution
    public let patchSize: [Int]

    public init(patchSize: [Int], inChannels: Int, hiddenSize: Int, key: RandomKey) {
        self.patchSize = patchSize
        proj = Convolution(inChannels, hiddenSize, kernelSize: patchSize, stride: patchSize, key: key)
        super.init()
    }

    /// Patch-grid size (T, H, W) for latent sizes, rounding each up to a patch multiple.
    public func gridSize(frames: Int, height: Int, width: Int) -> (t: Int, h: Int, w: Int) {
        func up(_ n: Int, _ p: Int) -> Int { (n + p - 1) / p }
        return (up(frames, patchSize[0]), up(height, patchSize[1]), up(width, patchSize[2]))
    }

    /// `x` [B, C, T, H, W] (reference layout) → [B, T'·H'·W', hidden]
    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        let (t, h, w) = (x.dim(2), x.dim(3), x.dim(4))
        let grid = gridSize(frames: t, height: h, width: w)
        let channelsLast = x.transposed(0, 2, 3, 4, 1).padded([
            (0, 0), (0, grid.t * patchSize[0] - t), (0, grid.h * patchSize[1] - h), (0, grid.w * patchSize[2] - w),
        ])
        let y = proj(channelsLast)
        return y.reshaped(x.dim(0), -1, y.dim(-1))
    }
}
