// Reference: opensora/models/vae/vae_temporal.py@v1.2.0 (Encoder, Decoder, VAE_Temporal); spec/vae.md §4.
import MLXTensor
import NN

/// [B, T, h, w, 4] → moments [B, T/4, h, w, 2·latent]: levels of residual blocks with stride-2
/// causal convs in time between them.
public final class TemporalEncoder: Module, UnaryLayer {
    @Child(key: "conv_in") public var convIn: CausalConv3d
    @Child(key: "block_res_blocks") public var levels: [TemporalResStack]
    @Child(key: "conv_blocks") public var downsamplers: [any UnaryLayer]
    @Child(key: "res_blocks") public var resBlocks: [TemporalResBlock]
    public let norm1: GroupNorm
    public let conv2: CausalConv3d
    /// Recompute each residual level's / block's activations in the backward pass (gradient checkpointing).
    public var gradientCheckpointing = false

    init(_ c: TemporalVAEConfig, key: RandomKey) {
        var k = KeySequence(key)
        var previous = c.filters
        var levels = [TemporalResStack](), downsamplers = [any UnaryLayer]()
        for (i, multiplier) in c.channelMultipliers.enumerated() {
            let filters = c.filters * multiplier
            levels.append(TemporalResStack(inChannels: previous, outChannels: filters, count: c.resBlockCount, groups: c.groups,
                                           key: k.next()))
            previous = filters
            if i < c.channelMultipliers.count - 1 {
                downsamplers.append(c.temporalDownsample[i]
                    ? CausalConv3d(filters, filters, kernel: [3, 3, 3], timeStride: 2, key: k.next()) as any UnaryLayer : Identity())
            }
        }
        norm1 = GroupNorm(groups: c.groups, channels: previous, eps: 1e-5)
        conv2 = CausalConv3d(previous, 2 * c.latentEmbedDim, kernel: [1, 1, 1], key: k.next())
        super.init()
        convIn = CausalConv3d(c.inOutChannels, c.filters, kernel: [3, 3, 3], bias: false, key: k.next())
        self.levels = levels
        self.downsamplers = downsamplers
        resBlocks = (0..<c.resBlockCount).map { _ in
            TemporalResBlock(inChannels: previous, outChannels: previous, groups: c.groups, key: k.next())
        }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        var h = convIn(x)
        for (i, level) in levels.enumerated() {
            h = level(h, recomputing: gradientCheckpointing)
            if i < downsamplers.count { h = downsamplers[i](h) }
        }
        return conv2(norm1.withSiLU(resBlocks.reduce(h) { $1($0, recomputing: gradientCheckpointing) }))
    }
}

/// [B, Tz, h, w, latent] → [B, 4·Tz, h, w, 4]: the mirror of the encoder; time is upsampled by a
/// conv to C·2 channels and a depth-to-time shuffle (channel c·2 + k → frame 2t + k, spec pitfall 11).
public final class TemporalDecoder: Module, UnaryLayer {
    public let conv1: CausalConv3d
    @Child(key: "res_blocks") public var resBlocks: [TemporalResBlock]
    @Child(key: "block_res_blocks") public var levels: [TemporalResStack]
    @Child(key: "conv_blocks") public var upsamplers: [any UnaryLayer]
    public let norm1: GroupNorm
    @Child(key: "conv_out") public var convOut: CausalConv3d
    let timeStrides: [Int]
    /// Recompute each residual level's / block's activations in the backward pass (gradient checkpointing).
    public var gradientCheckpointing = false

    init(_ c: TemporalVAEConfig, key: RandomKey) {
        var k = KeySequence(key)
        let top = c.filters * c.channelMultipliers[c.channelMultipliers.count - 1]
        conv1 = CausalConv3d(c.latentEmbedDim, top, kernel: [3, 3, 3], key: k.next())
        // Built from the deepest level up, stored by level index (the reference inserts at 0).
        var previous = top
        var levels = [TemporalResStack?](repeating: nil, count: c.channelMultipliers.count)
        var upsamplers = [any UnaryLayer](), strides = [Int]()
        for i in c.channelMultipliers.indices.reversed() {
            let filters = c.filters * c.channelMultipliers[i]
            levels[i] = TemporalResStack(inChannels: previous, outChannels: filters, count: c.resBlockCount, groups: c.groups,
                                         key: k.next())
            previous = filters
            if i > 0 {
                let stride = c.temporalDownsample[i - 1] ? 2 : 1
                upsamplers.insert(stride == 2 ? CausalConv3d(filters, filters * 2, kernel: [3, 3, 3], key: k.next()) as any UnaryLayer : Identity(), at: 0)
                strides.insert(stride, at: 0)
            }
        }
        timeStrides = strides
        norm1 = GroupNorm(groups: c.groups, channels: previous, eps: 1e-5)
        super.init()
        resBlocks = (0..<c.resBlockCount).map { _ in TemporalResBlock(inChannels: top, outChannels: top, groups: c.groups, key: k.next()) }
        self.levels = levels.compactMap { $0 }
        self.upsamplers = upsamplers
        convOut = CausalConv3d(previous, c.inOutChannels, kernel: [3, 3, 3], key: k.next())
    }

    public func callAsFunction(_ z: Tensor) -> Tensor {
        if z.failure != nil { return z }
        var h = resBlocks.reduce(conv1(z)) { $1($0, recomputing: gradientCheckpointing) }
        for i in levels.indices.reversed() {
            h = levels[i](h, recomputing: gradientCheckpointing)
            if i > 0 {
                h = upsamplers[i - 1](h)
                let ts = timeStrides[i - 1]
                if ts > 1 {
                    let (b, t, hh, w, cc) = (h.dim(0), h.dim(1), h.dim(2), h.dim(3), h.dim(4))
                    h = h.reshaped(b, t, hh, w, cc / ts, ts).transposed(0, 1, 5, 2, 3, 4).reshaped(b, t * ts, hh, w, cc / ts)
                }
            }
        }
        return convOut(norm1.withSiLU(h))
    }
}

/// The causal temporal VAE (VAE_Temporal): 4× compression in time, none in space.
public final class TemporalVAE: Module {
    public let encoder: TemporalEncoder
    @Child(key: "quant_conv") public var quantConv: CausalConv3d
    @Child(key: "post_quant_conv") public var postQuantConv: CausalConv3d
    public let decoder: TemporalDecoder
    public let config: TemporalVAEConfig

    /// Parameters as PyTorch constructs them (VAE_Temporal defines no init of its own).
    public init(_ config: TemporalVAEConfig, key: RandomKey) throws {
        try config.validate()
        self.config = config
        let keys = key.split(into: 4)
        encoder = TemporalEncoder(config, key: keys[0])
        decoder = TemporalDecoder(config, key: keys[1])
        super.init()
        quantConv = CausalConv3d(2 * config.latentEmbedDim, 2 * config.embedDim, kernel: [1, 1, 1], key: keys[2])
        postQuantConv = CausalConv3d(config.embedDim, config.latentEmbedDim, kernel: [1, 1, 1], key: keys[3])
    }

    /// Frames to pad in front so the clip is a multiple of the time factor.
    func frontPadding(_ frames: Int) -> Int {
        let f = config.timeDownsampleFactor
        return (f - frames % f) % f
    }

    /// x [B, C, T, h, w] → posterior over [B, latent, ceil(T/4), h, w]; zero frames are prepended.
    public func encode(_ x: Tensor) -> DiagonalGaussian {
        if x.failure != nil { return DiagonalGaussian(moments: x, axis: 1) }
        let padded = x.channelsLast.padded([(0, 0), (frontPadding(x.dim(2)), 0)])
        return DiagonalGaussian(moments: quantConv(encoder(padded)).channelsFirst, axis: 1)
    }

    /// z [B, latent, Tz, h, w] → [B, C, 4·Tz − pad, h, w]: the first (4 − numFrames mod 4) mod 4
    /// decoded frames are dropped (it does not truncate to numFrames).
    public func decode(_ z: Tensor, numFrames: Int) -> Tensor {
        if z.failure != nil { return z }
        let x = decoder(postQuantConv(z.channelsLast))
        return x[.all, frontPadding(numFrames)...].channelsFirst
    }
}
