// Reference: scripts/train_vae.py@v1.2.0 (AdversarialLoss and DiscriminatorLoss built from cfg.get(…) with these
// defaults), opensora/models/vae/losses.py@v1.2.0.

/// The GAN terms' settings, checked: each bad value is named by its `vae_loss.` key.
public struct AdversarialSettings: Sendable, Equatable {
    /// `discriminator_factor`: multiplies both adversarial terms once `discriminator_start` is reached.
    public var discriminatorFactor = 1.0
    /// `discriminator_start`: global step from which the terms count (adopt_weight); −1 = from the first.
    public var discriminatorStart = -1
    /// `generator_factor`: scales the adaptive weight.
    public var generatorFactor = 0.5
    public var generatorLossType: GeneratorLossType = .hinge
    public var discriminatorLossType: DiscriminatorLossType = .hinge

    public init() {}

    public init(config: TrainingConfig.VAELoss) throws {
        guard config.discriminatorFactor > 0 else {
            throw ConfigError.invalidValue(path: "vae_loss.discriminator_factor", value: "\(config.discriminatorFactor)",
                                           accepted: "a number > 0 (train_vae.py cannot back-propagate the 0 it gives otherwise)")
        }
        guard config.generatorFactor >= 0 else {
            throw ConfigError.invalidValue(path: "vae_loss.generator_factor", value: "\(config.generatorFactor)", accepted: "a number ≥ 0")
        }
        for (value, key) in [(config.lecamLossWeight, "lecam_loss_weight"), (config.gradientPenaltyLossWeight, "gradient_penalty_loss_weight")] {
            if let value, value != 0 {
                throw ConfigError.invalidValue(path: "vae_loss.\(key)", value: "\(value)",
                                               accepted: "null or 0 (train_vae.py passes no LeCam EMA / real video, and drops the term)")
            }
        }
        discriminatorFactor = config.discriminatorFactor
        discriminatorStart = config.discriminatorStart
        generatorFactor = config.generatorFactor
        generatorLossType = config.generatorLossType
        discriminatorLossType = config.discriminatorLossType
    }

    /// `adopt_weight(discriminator_factor, global_step, threshold=discriminator_start)`.
    public func factor(atStep globalStep: Int) -> Double {
        AdversarialLoss.adoptWeight(discriminatorFactor, globalStep: globalStep, threshold: discriminatorStart)
    }
}
