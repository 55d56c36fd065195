// Reference: opensora/models/vae/losses.py@v1.2.0 (VAELoss.__init__), scripts/train_vae.py@v1.2.0
// (cfg.get defaults); spec/training.md §13.4.
import OpenSora

/// The per-pixel distance of the VAE's reconstruction term.
public enum PixelLoss: String, ConfigChoice {
    /// |x − x̂|, the reference's.
    case l1
    /// Added: (x − x̂)². On mostly-black frames (the default model's shapes) an L1 decoder sits at the per-pixel
    /// median, black, for hundreds of steps; the squared error pulls towards the mean and out of it.
    case l2
}

/// VAELoss's arguments under the config's names, with train_vae.py's defaults.
public struct VAELossConfig: ModelConfig {
    /// The NLL's log-variance: a constant (the reference makes it a parameter but no optimizer holds it).
    public var logvarInit: Float = 0
    /// LPIPS weight: 0.1 in every v1.2 stage; 0 (or less) switches the perceptual term off.
    public var perceptualLossWeight: Float = 0.1
    /// KL weight: 1e-6; 0 (or less) switches the KL term off.
    public var klLossWeight: Float = 1e-6
    public var pixelLoss = PixelLoss.l1

    enum CodingKeys: String, CodingKey {
        case logvarInit = "logvar_init", perceptualLossWeight = "perceptual_loss_weight", klLossWeight = "kl_loss_weight"
        case pixelLoss = "pixel_loss"
    }

    public init() {}

    public init(logvarInit: Float = 0, perceptualLossWeight: Float = 0.1, klLossWeight: Float = 1e-6, pixelLoss: PixelLoss = .l1) {
        self.logvarInit = logvarInit
        self.perceptualLossWeight = perceptualLossWeight
        self.klLossWeight = klLossWeight
        self.pixelLoss = pixelLoss
    }
}
