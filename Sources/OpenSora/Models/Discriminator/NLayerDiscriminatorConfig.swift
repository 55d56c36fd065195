// Reference: opensora/models/vae/discriminator.py@v1.2.0 (NLayerDiscriminator.__init__ arguments).

/// The 2-D PatchGAN discriminator's size: what train_vae.py builds from `discriminator=dict(type="NLayerDiscriminator", …)`.
public struct NLayerDiscriminatorConfig: ModelConfig {
    /// `input_nc`: image channels.
    public var inputChannels = 3
    /// `ndf`: filters of the first convolution (later ones ×2, ×4, capped at ×8).
    public var filters = 64
    /// `n_layers`: stride-2 convolutions after the first one, plus one stride-1 block.
    public var layerCount = 3

    enum CodingKeys: String, CodingKey {
        case inputChannels = "input_nc", filters = "ndf", layerCount = "n_layers"
    }

    public init() {}

    public static let v1_2 = NLayerDiscriminatorConfig()

    /// Test size: 8 filters, 2 layers.
    public static let tiny: NLayerDiscriminatorConfig = {
        var c = NLayerDiscriminatorConfig()
        c.filters = 8
        c.layerCount = 2
        return c
    }()
}
