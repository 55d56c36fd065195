// Reference: scripts/train_vae.py@v1.2.0 (`cfg.get("discriminator")`, built with `build_module(cfg.discriminator, MODELS)`),
// opensora/models/vae/discriminator.py@v1.2.0 (NLayerDiscriminator's arguments).
import OpenSora

/// `discriminator.type`: train_vae.py feeds frames "(b t) c h w", so only the 2-D PatchGAN runs; the 3-D ones
/// (`N_Layer_DISCRIMINATOR_3D`, `DISCRIMINATOR_3D`) would get 4-D input there.
public enum DiscriminatorType: String, ConfigChoice {
    case nLayer = "NLayerDiscriminator"
}

extension TrainingConfig {
    /// The `discriminator` section: NLayerDiscriminator's keyword arguments.
    public struct Discriminator: Codable, Equatable, Sendable {
        public var type: DiscriminatorType = .nLayer
        public var inputNC = 3
        public var ndf = 64
        public var nLayers = 3
        /// Ignored by the 2-D class in the reference; accepted only as false here.
        public var useActnorm = false
        public var fromPretrained: String?

        public init() {}

        enum CodingKeys: String, StrictCodingKey {
            case type, inputNC = "input_nc", ndf, nLayers = "n_layers", useActnorm = "use_actnorm", fromPretrained = "from_pretrained"
        }

        /// The model's size, after the checks the types cannot express (each names its key).
        public func modelConfig() throws -> NLayerDiscriminatorConfig {
            for (value, key) in [(inputNC, "input_nc"), (ndf, "ndf"), (nLayers, "n_layers")] where value < 1 {
                throw ConfigError.invalidValue(path: "discriminator.\(key)", value: "\(value)", accepted: "an integer ≥ 1")
            }
            guard !useActnorm else {
                throw ConfigError.invalidValue(path: "discriminator.use_actnorm", value: "true", accepted: "false (BatchNorm, as the reference builds it)")
            }
            if let fromPretrained {
                throw ConfigError.invalidValue(path: "discriminator.from_pretrained", value: "'\(fromPretrained)'",
                                               accepted: "null (a discriminator resumes from a checkpoint's discriminator.safetensors)")
            }
            var c = NLayerDiscriminatorConfig()
            (c.inputChannels, c.filters, c.layerCount) = (inputNC, ndf, nLayers)
            return c
        }
    }
}
