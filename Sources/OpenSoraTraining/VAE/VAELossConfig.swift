// Reference: opensora/models/vae/losses.py@v1.2.0 (VAELoss.__init__), scripts/train_vae.py@v1.2.0
// (cfg.get defaults); spec/training.md §13.4.
import OpenSora

/// VAELoss's arguments under the config's names, with train_vae.py's defaults.
public struct VAELossConfig: ModelConfig {
    /// The NLL's log-variance: a constant (the reference makes it a parameter but no optimizer holds it).
    public var logvarInit: Float = 0
    /// LPIPS weight: 0.1 in every v1.2 stage; 0 (or less) switches the perceptual term off.
    public var perceptualLossWeight: Float = 0.1
    /// KL weight: 1e-6; 0 (or less) switches the KL term off.
    public var klLossWeight: Float = 1e-6

    enum CodingKeys: String, CodingKey {
        case logvarInit = "logvar_init", perceptualLossWeight = "perceptual_loss_weight", klLossWeight = "kl_loss_weight"
    }

    public init() {}

    public init(logvarInit: Float = 0, perceptualLossWeight: Float = 0.1, klLossWeight: Float = 1e-6) {
        self.logvarInit = logvarInit
        self.perceptualLossWeight = perceptualLossWeight
        self.klLossWeight = klLossWeight
    }
}
