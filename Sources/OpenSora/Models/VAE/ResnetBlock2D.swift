// Reference: diffusers models/resnet.py (ResnetBlock2D, temb None); spec/vae.md §3.3.
import MLXTensor
import NN

/// Pre-norm residual block on channels-last frames [N, H, W, C]:
/// conv2(SiLU(GN(conv1(SiLU(GN(x)))))) + shortcut(x), shortcut a 1×1 conv when channels change.
public final class ResnetBlock2D: Module, UnaryLayer {
    public let norm1: GroupNorm
    public let conv1: Convolution
    public let norm2: GroupNorm
    public let conv2: Convolution
    @Child(key: "conv_shortcut") public var shortcut: Convolution?

    public init(inChannels: Int, outChannels: Int, groups: Int, eps: Float = 1e-6, key: RandomKey) {
        let keys = key.split(into: 3)
        norm1 = GroupNorm(groups: groups, channels: inChannels, eps: eps)
        conv1 = Convolution(inChannels, outChannels, kernelSize: [3, 3], padding: [1, 1], key: keys[0])
        norm2 = GroupNorm(groups: groups, channels: outChannels, eps: eps)
        conv2 = Convolution(outChannels, outChannels, kernelSize: [3, 3], padding: [1, 1], key: keys[1])
        super.init()
        shortcut = inChannels == outChannels ? nil : Convolution(inChannels, outChannels, kernelSize: [1, 1], key: keys[2])
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        return conv2(norm2.withSiLU(conv1(norm1.withSiLU(x))), adding: shortcut?(x) ?? x)
    }
}

/// Right/bottom zero pad by one, then a stride-2 3×3 conv: floor(n/2) for every n (spec pitfall 6).
public final class Downsample2D: Module, UnaryLayer {
    public let conv: Convolution

    public init(channels: Int, key: RandomKey) {
        conv = Convolution(channels, channels, kernelSize: [3, 3], stride: [2, 2], padding: [(0, 1), (0, 1)], key: key)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { conv(x) }
}

/// Nearest-neighbour ×2, then a 3×3 conv.
public final class Upsample2D: Module, UnaryLayer {
    public let conv: Convolution

    public init(channels: Int, key: RandomKey) {
        conv = Convolution(channels, channels, kernelSize: [3, 3], padding: [1, 1], key: key)
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.failure != nil ? x : conv(x.upsampledNearest2x()) }
}

/// diffusers' single-head self-attention over the pixels of a frame, with GroupNorm and residual.
public final class AttentionBlock2D: Module, UnaryLayer {
    @Child(key: "group_norm") public var norm: GroupNorm
    @Child(key: "to_q") public var query: Linear
    @Child(key: "to_k") public var key: Linear
    @Child(key: "to_v") public var value: Linear
    @Child(key: "to_out") public var output: [Linear]

    public init(channels: Int, groups: Int, eps: Float = 1e-6, key rng: RandomKey) {
        super.init()
        let keys = rng.split(into: 4)
        norm = GroupNorm(groups: groups, channels: channels, eps: eps)
        query = Linear(channels, channels, key: keys[0])
        key = Linear(channels, channels, key: keys[1])
        value = Linear(channels, channels, key: keys[2])
        output = [Linear(channels, channels, key: keys[3])]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        let (n, h, w, c) = (x.dim(0), x.dim(1), x.dim(2), x.dim(3))
        let tokens = norm(x).reshaped(n, 1, h * w, c)
        let o = scaledDotProductAttention(queries: query(tokens), keys: key(tokens), values: value(tokens),
                                          scale: 1 / Float(c).squareRoot())
        return output[0](o).reshaped(n, h, w, c) + x
    }
}
