// Reference: opensora/models/vae/losses.py@v1.2.0 (hinge_d_loss, vanilla_d_loss, sigmoid_cross_entropy_with_logits,
// adopt_weight, AdversarialLoss, DiscriminatorLoss); the GAN terms of scripts/train_vae.py@v1.2.0.
import MLXTensor

/// `generator_loss_type`: AdversarialLoss accepts hinge and non-saturating ("vanilla" raises there).
public enum GeneratorLossType: String, ConfigChoice {
    case hinge
    case nonSaturating = "non-saturating"
}

/// `discriminator_loss_type`.
public enum DiscriminatorLossType: String, ConfigChoice {
    case hinge, vanilla
    case nonSaturating = "non-saturating"
}

/// The adversarial losses as functions of logits (any shape; means over every element).
public enum AdversarialLoss {
    /// `adopt_weight`: `value` (0) before step `threshold`, `weight` from then on.
    public static func adoptWeight(_ weight: Double, globalStep: Int, threshold: Int, value: Double = 0) -> Double {
        globalStep < threshold ? value : weight
    }

    /// `sigmoid_cross_entropy_with_logits` (MAGVIT): max(x, 0) − x·z + log(1 + exp(−|x|)).
    public static func sigmoidCrossEntropy(labels: Float, logits x: Tensor) -> Tensor {
        let zero = Tensor.zeros(like: x)
        let positive = x .>= zero
        let relu = Tensor.where(positive, x, zero)
        let negAbs = Tensor.where(positive, -x, x)
        return relu - x * labels + negAbs.exp().log1p()
    }

    /// The generator's term before weighting: −mean(fake) (hinge), or mean BCE(fake, 1) (non-saturating).
    public static func generatorLoss(_ fake: Tensor, type: GeneratorLossType) -> Tensor {
        switch type {
        case .hinge: -fake.mean()
        case .nonSaturating: sigmoidCrossEntropy(labels: 1, logits: fake).mean()
        }
    }

    /// The discriminator's loss before `adopt_weight`: hinge ½(mean relu(1 − real) + mean relu(1 + fake)),
    /// vanilla ½(mean softplus(−real) + mean softplus(fake)), non-saturating ½(mean BCE(real, 1) + mean BCE(fake, 0)).
    public static func discriminatorLoss(real: Tensor, fake: Tensor, type: DiscriminatorLossType) -> Tensor {
        switch type {
        case .hinge:
            0.5 * ((1 - real).relu().mean() + (1 + fake).relu().mean())
        case .vanilla:
            0.5 * (softplus(-real).mean() + softplus(fake).mean())
        case .nonSaturating:
            0.5 * (sigmoidCrossEntropy(labels: 1, logits: real).mean() + sigmoidCrossEntropy(labels: 0, logits: fake).mean())
        }
    }

    /// torch's softplus (beta 1, threshold 20: x itself above 20).
    static func softplus(_ x: Tensor) -> Tensor {
        Tensor.where(x .> 20, x, x.exp().log1p())
    }
}
