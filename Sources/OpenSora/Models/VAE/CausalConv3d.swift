// Reference: opensora/models/vae/vae_temporal.py@v1.2.0 (CausalConv3d, ResBlock); spec/vae.md §4.1.
import MLXTensor
import NN

/// A 3-D convolution that sees only the past in time: (kt − 1) + (1 − stride) zero frames in front,
/// none behind; symmetric zero padding in space. Channels-last [B, T, H, W, C]; weights under `conv.`.
public final class CausalConv3d: Module, UnaryLayer {
    public let conv: Convolution

    public init(_ inChannels: Int, _ outChannels: Int, kernel: [Int], timeStride: Int = 1, bias: Bool = true, key: RandomKey) {
        let timePad = (kernel[0] - 1) + (1 - timeStride)
        conv = Convolution(inChannels, outChannels, kernelSize: kernel, stride: [timeStride, 1, 1],
                           padding: [(timePad, 0), (kernel[1] / 2, kernel[1] / 2), (kernel[2] / 2, kernel[2] / 2)], bias: bias,
                           key: key)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { conv(x) }  // Convolution passes a failed x on

    /// conv(x) + `residual`.
    public func callAsFunction(_ x: Tensor, adding residual: Tensor?) -> Tensor { conv(x, adding: residual) }
}

/// conv2(SiLU(GN(conv1(SiLU(GN(x)))))) + (conv3(x) when channels change): bias-free causal 3×3×3
/// convs, GroupNorm with PyTorch's default eps 1e-5 (spec pitfall 5).
public final class TemporalResBlock: Module, UnaryLayer {
    public let norm1: GroupNorm
    public let conv1: CausalConv3d
    public let norm2: GroupNorm
    public let conv2: CausalConv3d
    public let conv3: CausalConv3d?

    public init(inChannels: Int, outChannels: Int, groups: Int, key: RandomKey) {
        let keys = key.split(into: 3)
        norm1 = GroupNorm(groups: groups, channels: inChannels, eps: 1e-5)
        conv1 = CausalConv3d(inChannels, outChannels, kernel: [3, 3, 3], bias: false, key: keys[0])
        norm2 = GroupNorm(groups: groups, channels: outChannels, eps: 1e-5)
        conv2 = CausalConv3d(outChannels, outChannels, kernel: [3, 3, 3], bias: false, key: keys[1])
        conv3 = inChannels == outChannels ? nil : CausalConv3d(inChannels, outChannels, kernel: [1, 1, 1], bias: false, key: keys[2])
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        return conv2(norm2.withSiLU(conv1(norm1.withSiLU(x))), adding: conv3?(x) ?? x)
    }
}

/// One level's residual blocks (`block_res_blocks.<level>.<i>`).
public final class TemporalResStack: Module, UnaryLayer {
    @Child(key: "") public var blocks: [TemporalResBlock]

    init(inChannels: Int, outChannels: Int, count: Int, groups: Int, key: RandomKey) {
        super.init()
        let keys = key.split(into: max(count, 1))
        blocks = (0..<count).map {
            TemporalResBlock(inChannels: $0 == 0 ? inChannels : outChannels, outChannels: outChannels, groups: groups, key: keys[$0])
        }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { blocks.reduce(x) { $1($0) } }
}
