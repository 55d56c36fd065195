// Reference: opensora/models/vae/losses.py@v1.2.0 (VAELoss: perceptual_loss_fn = LPIPS().eval()).
import OpenSora

/// LPIPS as VAELoss's perceptual term: `callAsFunction(real, reconstructed)` maps [N, 3, H, W]
/// frames in [−1, 1] to [N, 1, 1, 1]. It is differentiable in both images; LPIPS's own weights are
/// constants of the graph (the trainer differentiates only with respect to the VAE's parameters),
/// and a failed tensor surfaces at VAELoss's `checked()`.
extension LPIPS: PerceptualLoss {}
