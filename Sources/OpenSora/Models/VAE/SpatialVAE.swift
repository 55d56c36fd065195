// Reference: diffusers models/autoencoders/{autoencoder_kl.py, vae.py}, unets/unet_2d_blocks.py;
// opensora/models/vae/vae.py@v1.2.0 (VideoAutoencoderKL); spec/vae.md §3.
import MLXTensor
import NN

/// DownEncoderBlock2D: resnets, then an optional downsampler.
public final class DownEncoderBlock2D: Module, UnaryLayer {
    public let resnets: [ResnetBlock2D]
    public let downsamplers: [Downsample2D]

    init(inChannels: Int, outChannels: Int, layers: Int, groups: Int, downsample: Bool, key: RandomKey) {
        var k = KeySequence(key)
        resnets = (0..<layers).map {
            ResnetBlock2D(inChannels: $0 == 0 ? inChannels : outChannels, outChannels: outChannels, groups: groups, key: k.next())
        }
        downsamplers = downsample ? [Downsample2D(channels: outChannels, key: k.next())] : []
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        return downsamplers.reduce(resnets.reduce(x) { $1($0) }) { $1($0) }
    }
}

/// UpDecoderBlock2D: resnets, then an optional upsampler.
public final class UpDecoderBlock2D: Module, UnaryLayer {
    public let resnets: [ResnetBlock2D]
    public let upsamplers: [Upsample2D]

    init(inChannels: Int, outChannels: Int, layers: Int, groups: Int, upsample: Bool, key: RandomKey) {
        var k = KeySequence(key)
        resnets = (0..<layers).map {
            ResnetBlock2D(inChannels: $0 == 0 ? inChannels : outChannels, outChannels: outChannels, groups: groups, key: k.next())
        }
        upsamplers = upsample ? [Upsample2D(channels: outChannels, key: k.next())] : []
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        return upsamplers.reduce(resnets.reduce(x) { $1($0) }) { $1($0) }
    }
}

/// UNetMidBlock2D: resnet 0 → attention → resnet 1 (attentions are registered first).
public final class MidBlock2D: Module, UnaryLayer {
    public let attentions: [AttentionBlock2D]
    public let resnets: [ResnetBlock2D]

    init(channels: Int, groups: Int, key: RandomKey) {
        let keys = key.split(into: 3)
        attentions = [AttentionBlock2D(channels: channels, groups: groups, key: keys[0])]
        resnets = [ResnetBlock2D(inChannels: channels, outChannels: channels, groups: groups, key: keys[1]),
                   ResnetBlock2D(inChannels: channels, outChannels: channels, groups: groups, key: keys[2])]
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.failure != nil ? x : resnets[1](attentions[0](resnets[0](x))) }
}

/// Frames [N, H, W, 3] → moments [N, H/8, W/8, 2·latent] (before quant_conv).
public final class Encoder2D: Module, UnaryLayer {
    @Child(key: "conv_in") public var convIn: Convolution
    @Child(key: "down_blocks") public var downBlocks: [DownEncoderBlock2D]
    @Child(key: "mid_block") public var midBlock: MidBlock2D
    @Child(key: "conv_norm_out") public var normOut: GroupNorm
    @Child(key: "conv_out") public var convOut: Convolution
    /// Recompute each down/mid block's activations in the backward pass (diffusers' gradient_checkpointing).
    public var gradientCheckpointing = false

    init(_ c: SpatialVAEConfig, key: RandomKey) {
        super.init()
        var k = KeySequence(key)
        let ch = c.blockOutChannels
        convIn = Convolution(c.inChannels, ch[0], kernelSize: [3, 3], padding: [1, 1], key: k.next())
        downBlocks = ch.indices.map {
            DownEncoderBlock2D(inChannels: $0 == 0 ? ch[0] : ch[$0 - 1], outChannels: ch[$0], layers: c.layersPerBlock,
                               groups: c.normGroups, downsample: $0 < ch.count - 1, key: k.next())
        }
        midBlock = MidBlock2D(channels: ch[ch.count - 1], groups: c.normGroups, key: k.next())
        normOut = GroupNorm(groups: c.normGroups, channels: ch[ch.count - 1], eps: 1e-6)
        convOut = Convolution(ch[ch.count - 1], 2 * c.latentChannels, kernelSize: [3, 3], padding: [1, 1], key: k.next())
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        let h = downBlocks.reduce(convIn(x)) { $1($0, recomputing: gradientCheckpointing) }
        return convOut(normOut.withSiLU(midBlock(h, recomputing: gradientCheckpointing)))
    }
}

/// Latents [N, h, w, latent] (after post_quant_conv) → frames [N, 8h, 8w, 3].
public final class Decoder2D: Module, UnaryLayer {
    @Child(key: "conv_in") public var convIn: Convolution
    @Child(key: "up_blocks") public var upBlocks: [UpDecoderBlock2D]
    @Child(key: "mid_block") public var midBlock: MidBlock2D
    @Child(key: "conv_norm_out") public var normOut: GroupNorm
    @Child(key: "conv_out") public var convOut: Convolution
    /// Recompute the mid block's and each up block's activations in the backward pass (diffusers'
    /// gradient_checkpointing).
    public var gradientCheckpointing = false

    init(_ c: SpatialVAEConfig, key: RandomKey) {
        super.init()
        var k = KeySequence(key)
        let reversed = Array(c.blockOutChannels.reversed())
        convIn = Convolution(c.latentChannels, reversed[0], kernelSize: [3, 3], padding: [1, 1], key: k.next())
        midBlock = MidBlock2D(channels: reversed[0], groups: c.normGroups, key: k.next())
        upBlocks = reversed.indices.map {
            UpDecoderBlock2D(inChannels: $0 == 0 ? reversed[0] : reversed[$0 - 1], outChannels: reversed[$0],
                             layers: c.layersPerBlock + 1, groups: c.normGroups, upsample: $0 < reversed.count - 1, key: k.next())
        }
        normOut = GroupNorm(groups: c.normGroups, channels: reversed[reversed.count - 1], eps: 1e-6)
        convOut = Convolution(reversed[reversed.count - 1], c.outChannels, kernelSize: [3, 3], padding: [1, 1], key: k.next())
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        let h = midBlock(convIn(x), recomputing: gradientCheckpointing)
        return convOut(normOut.withSiLU(upBlocks.reduce(h) { $1($0, recomputing: gradientCheckpointing) }))
    }
}

/// diffusers' AutoencoderKL (encoder, decoder, quant_conv, post_quant_conv) on channels-last frames.
public final class AutoencoderKL: Module {
    public let encoder: Encoder2D
    public let decoder: Decoder2D
    @Child(key: "quant_conv") public var quantConv: Convolution
    @Child(key: "post_quant_conv") public var postQuantConv: Convolution

    /// Parameters as PyTorch constructs them (diffusers' AutoencoderKL defines no init of its own).
    public init(_ c: SpatialVAEConfig, key: RandomKey) {
        let keys = key.split(into: 4)
        encoder = Encoder2D(c, key: keys[0])
        decoder = Decoder2D(c, key: keys[1])
        super.init()
        quantConv = Convolution(2 * c.latentChannels, 2 * c.latentChannels, kernelSize: [1, 1], key: keys[2])
        postQuantConv = Convolution(c.latentChannels, c.latentChannels, kernelSize: [1, 1], key: keys[3])
    }

    /// Frames [N, H, W, 3] → posterior over [N, H/8, W/8, latent].
    public func encode(_ x: Tensor) -> DiagonalGaussian { DiagonalGaussian(moments: quantConv(encoder(x)), axis: -1) }

    /// Latents [N, h, w, latent] → frames [N, 8h, 8w, 3].
    public func decode(_ z: Tensor) -> Tensor { decoder(postQuantConv(z)) }
}
