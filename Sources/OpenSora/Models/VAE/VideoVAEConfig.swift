// Reference: opensora/models/vae/vae.py@v1.2.0 (OpenSoraVAE_V1_2), diffusers AutoencoderKL config,
// opensora/models/vae/vae_temporal.py@v1.2.0 (VAE_Temporal_SD); spec/vae.md §1, §3.1, §4.1.

/// The 2-D (per frame) VAE: diffusers' AutoencoderKL with DownEncoderBlock2D/UpDecoderBlock2D.
public struct SpatialVAEConfig: ModelConfig {
    public var inChannels = 3
    public var outChannels = 3
    public var blockOutChannels = [128, 256, 512, 512]
    public var layersPerBlock = 2
    public var latentChannels = 4
    public var normGroups = 32

    enum CodingKeys: String, CodingKey {
        case inChannels = "in_channels", outChannels = "out_channels", blockOutChannels = "block_out_channels"
        case layersPerBlock = "layers_per_block", latentChannels = "latent_channels", normGroups = "norm_num_groups"
    }

    public init() {}

    /// The SDXL VAE configuration Open-Sora 1.2 uses.
    public static let sdxl = SpatialVAEConfig()

    /// The parity fixtures' size: widths [8, 8, 16, 16], one layer per block, 4 groups.
    public static let tiny: SpatialVAEConfig = {
        var c = SpatialVAEConfig()
        c.blockOutChannels = [8, 8, 16, 16]
        c.layersPerBlock = 1
        c.normGroups = 4
        return c
    }()

    /// 2^(number of downsampling blocks): 8 for four blocks.
    public var downsampleFactor: Int { 1 << (blockOutChannels.count - 1) }

    /// The latent side of a pixel side: Python's floor division by the downsample factor (spec pitfall 9).
    public func latentSide(_ pixels: Int) -> Int {
        let (q, r) = pixels.quotientAndRemainder(dividingBy: downsampleFactor)
        return r < 0 ? q - 1 : q
    }

    public func validate() throws {
        guard normGroups > 0, !blockOutChannels.isEmpty, blockOutChannels.allSatisfy({ $0 > 0 && $0 % normGroups == 0 }),
              layersPerBlock > 0 else {
            throw OpenSoraError.invalidConfiguration(
                "spatial VAE: block_out_channels \(blockOutChannels) must be positive multiples of norm_num_groups \(normGroups)")
        }
    }
}

/// The causal 3-D VAE compressing time 4x (VAE_Temporal).
public struct TemporalVAEConfig: ModelConfig {
    public var inOutChannels = 4
    public var latentEmbedDim = 4
    public var embedDim = 4
    public var filters = 128
    public var resBlockCount = 4
    public var channelMultipliers = [1, 2, 2, 4]
    public var temporalDownsample = [false, true, true]
    public var groups = 32

    enum CodingKeys: String, CodingKey {
        case inOutChannels = "in_out_channels", latentEmbedDim = "latent_embed_dim", embedDim = "embed_dim", filters
        case resBlockCount = "num_res_blocks", channelMultipliers = "channel_multipliers"
        case temporalDownsample = "temporal_downsample", groups = "num_groups"
    }

    public init() {}

    /// VAE_Temporal_SD, as released.
    public static let sd = TemporalVAEConfig()

    /// The parity fixtures' size: 4 filters, one res block per level, 2 groups.
    public static let tiny: TemporalVAEConfig = {
        var c = TemporalVAEConfig()
        c.filters = 4
        c.resBlockCount = 1
        c.groups = 2
        return c
    }()

    /// 2^(number of temporal downsamplings): 4.
    public var timeDownsampleFactor: Int { 1 << temporalDownsample.filter { $0 }.count }

    /// ceil(T / factor): the latent frames of one independently encoded clip.
    public func latentFrames(_ frames: Int) -> Int { (frames + timeDownsampleFactor - 1) / timeDownsampleFactor }

    public func validate() throws {
        // Checked arithmetic: the numbers come from a config file.
        let channels = channelMultipliers.map { $0.multipliedReportingOverflow(by: filters) }
        guard temporalDownsample.count == channelMultipliers.count - 1, filters > 0, resBlockCount > 0, groups > 0,
              channelMultipliers.allSatisfy({ $0 > 0 }), channels.allSatisfy({ !$0.overflow && $0.partialValue % groups == 0 })
        else {
            throw OpenSoraError.invalidConfiguration(
                "temporal VAE: channel_multipliers \(channelMultipliers) × filters \(filters) must be positive and divide into num_groups \(groups), "
                    + "with one temporal_downsample flag per level transition")
        }
    }
}

/// The stacked video VAE (VideoAutoencoderPipeline as OpenSoraVAE_V1_2 builds it).
public struct VideoVAEConfig: ModelConfig {
    public var spatial = SpatialVAEConfig.sdxl
    public var temporal = TemporalVAEConfig.sd
    /// Pixel frames per independently encoded temporal clip (nil: the whole video is one clip).
    public var microFrameSize: Int? = 17
    /// Frames per spatial VAE call (memory only: every op is per frame).
    public var microBatchSize: Int? = 4
    public var shift: [Float] = [-0.10, 0.34, 0.27, 0.98]
    public var scale: [Float] = [3.85, 2.32, 2.33, 3.06]
    /// Open-Sora hard-codes this instead of the SDXL config's 0.13025 (spec pitfall 1).
    public var spatialScalingFactor: Float = 0.18215

    public init() {}

    /// OpenSoraVAE_V1_2 (hpcai-tech/OpenSora-VAE-v1.2).
    public static let v1_2 = VideoVAEConfig()

    /// The parity fixtures' pipeline: tiny spatial and temporal parts, released chunking and normalisation.
    public static let tiny: VideoVAEConfig = {
        var c = VideoVAEConfig()
        c.spatial = .tiny
        c.temporal = .tiny
        return c
    }()

    /// Latent frames for `frames` pixel frames: 5·(T // 17) + ceil((T mod 17)/4) with 17-frame clips.
    public func latentFrames(_ frames: Int) -> Int {
        guard let clip = microFrameSize else { return temporal.latentFrames(frames) }
        return temporal.latentFrames(clip) * (frames / clip) + temporal.latentFrames(frames % clip)
    }

    /// [T, H, W] in pixels → latent [T', H/8, W/8] (floor division in space, spec pitfall 9).
    public func latentSize(frames: Int, height: Int, width: Int) -> (frames: Int, height: Int, width: Int) {
        (latentFrames(frames), spatial.latentSide(height), spatial.latentSide(width))
    }
}
