// The training layer (DESIGN.md): datasets, buckets, masks, the diffusion and VAE trainers, eval loss.
// One mechanism for datasets, checkpoints, config loading and logs serves both trainers.
import OpenSora

/// The layer's namespace for shared constants.
public enum OpenSoraTraining {
    /// The reference version whose training recipe this layer implements.
    public static let referenceVersion = "Open-Sora v1.2.0"
}
