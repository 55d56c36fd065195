// Reference: opensora/models/vae/lpips.py@v1.2.0 (LPIPS.chns); spec/training.md §13.4.

/// The widths of LPIPS's VGG16 trunk: the output channels of its five stages (relu1_2 … relu5_3),
/// which are also the input widths of the five linear heads. The layer pattern is VGG16's
/// (2, 2, 3, 3, 3 convolutions per stage) whatever the widths, so a narrow copy keeps every key.
public struct LPIPSConfig: ModelConfig {
    public var channels = [64, 128, 256, 512, 512]

    enum CodingKeys: String, CodingKey {
        case channels = "chns"
    }

    public init() {}

    /// torchvision's VGG16 with taming's heads, as VAELoss uses it.
    public static let vgg16 = LPIPSConfig()

    /// The parity fixture's narrow network (tools/make_lpips_fixture.py).
    public static let tiny: LPIPSConfig = {
        var c = LPIPSConfig()
        c.channels = [8, 12, 16, 16, 16]
        return c
    }()

    /// Convolutions (each followed by a ReLU) per stage of torchvision's `vgg16().features`.
    public static let convolutionsPerStage = [2, 2, 3, 3, 3]

    func validate() throws {
        guard channels.count == Self.convolutionsPerStage.count, channels.allSatisfy({ $0 > 0 }) else {
            throw OpenSoraError.invalidConfiguration(
                "LPIPS: chns \(channels) must be \(Self.convolutionsPerStage.count) positive widths (VGG16: \(Self.vgg16.channels))")
        }
    }
}
