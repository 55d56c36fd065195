// Reference: scripts/train_vae.py@v1.2.0 ("loss: generator adversarial" before the VAE update, "loss: discriminator
// adversarial" after it, its own HybridAdam with the same lr/weight decay and the booster's clipping; resume loads
// `discriminator/` and `disc_optimizer/` when present), opensora/models/vae/losses.py@v1.2.0.
import MLXTensor
import NN
import OpenSora

/// The discriminator side of VAE training: the generator's adaptively weighted adversarial term inside the VAE step,
/// then the discriminator's own step on the same real frames and the (detached) reconstruction.
public final class VAEAdversarialTraining {
    public let discriminator: NLayerDiscriminator
    /// AdamW at the run's lr/betas/weight decay, the run's clipping; BatchNorm statistics are live buffers.
    public let optimizer: ParameterOptimizer
    public let settings: AdversarialSettings
    /// `get_temporal_last_layer()`.
    public static let lastLayerPath = "temporal_vae.decoder.conv_out.conv.weight"
    /// The real and reconstructed frames of the step's micro-batch, detached, for the discriminator's step.
    var pending: (real: Tensor, fake: Tensor)?

    public init(config: TrainingConfig, section: TrainingConfig.Discriminator, keys: RunKeys) throws {
        settings = try AdversarialSettings(config: config.vaeLoss ?? .init())
        guard config.gradAccumulationSteps == 1 else {
            throw ConfigError.invalidValue(path: "grad_accumulation_steps", value: "\(config.gradAccumulationSteps)",
                                           accepted: "1 with a discriminator (train_vae.py steps it once per batch)")
        }
        discriminator = NLayerDiscriminator(try section.modelConfig(), key: keys.key(step: 0, .discriminatorInit))
        optimizer = try ParameterOptimizer(module: discriminator, config: config, computeDType: config.dtype.computeDType,
                                           liveBuffers: true, keepsEMA: false)
    }

    /// "b c t h w -> (b t) c h w", channels-last: [B·T, H, W, C].
    static func frames(_ x: Tensor) -> Tensor {
        x.transposed(0, 2, 3, 4, 1).reshaped(x.dim(0) * x.dim(2), x.dim(3), x.dim(4), x.dim(1))
    }

    /// `adversarial_loss`: d_weight · adopt_weight · g(D(x̂)). `recompute` reruns the forward from the VAE's current
    /// parameters and returns (nll_loss, x̂), so the weight can take gradients at the last decoder layer.
    /// Before `discriminator_start` the term is 0 and only the statistics pass runs.
    func generatorTerm(reconstruction: Tensor, step: Int, vae: Module,
                       recompute: () throws -> (nll: Tensor, reconstruction: Tensor)) throws -> Tensor {
        let logits = discriminator(Self.frames(reconstruction))
        let factor = settings.factor(atStep: step)
        guard factor != 0 else { return Tensor.zeros([], dtype: reconstruction.dtype) }
        let generator = AdversarialLoss.generatorLoss(logits, type: settings.generatorLossType)
        let (nllGradient, generatorGradient) = try AdversarialLoss.gradients(of: {
            let (nll, x) = try recompute()
            let g = discriminator.withoutUpdatingStatistics {
                AdversarialLoss.generatorLoss(discriminator(Self.frames(x)), type: settings.generatorLossType)
            }
            return (nll, g)
        }, withRespectTo: Self.lastLayerPath, in: vae)
        let weight = AdversarialLoss.adaptiveWeight(nllGradient: nllGradient, generatorGradient: generatorGradient,
                                                    generatorFactor: settings.generatorFactor)
        return weight.asType(generator.dtype) * Float(factor) * generator
    }

    /// Keeps the step's frames for `step(globalStep:)`.
    func remember(real: Tensor, fake: Tensor) {
        pending = (Self.frames(real).stopGradient(), Self.frames(fake).stopGradient())
    }

    /// The discriminator's step after the VAE's: adopt_weight · d_loss(D(x), D(x̂)), each a BatchNorm pass of its own.
    /// Returns `disc_loss`.
    func step(globalStep: Int) throws -> Double {
        guard let (real, fake) = pending else { throw TrainingError.noBatches(reason: "the discriminator step ran before a VAE step") }
        pending = nil
        try Tensor.eval([real, fake])
        let factor = Float(settings.factor(atStep: globalStep))
        let result = try optimizer.step(microBatches: 1) { _ in
            let realLogits = discriminator(real)
            let fakeLogits = discriminator(fake)
            return factor * AdversarialLoss.discriminatorLoss(real: realLogits, fake: fakeLogits, type: settings.discriminatorLossType)
        }
        return result.loss
    }
}
