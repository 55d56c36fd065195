// Reference: opensora/models/vae/lpips.py@v1.2.0 (LPIPS, as VAELoss calls it); spec/training.md §13.4.
import MLXTensor

/// The perceptual distance VAELoss adds to the L1 term (LPIPS-VGG16 in the reference; a later task):
/// frames [N, 3, H, W] in [−1, 1], real then reconstructed → one distance per frame, [N] or [N, 1, 1, 1].
public protocol PerceptualLoss {
    func callAsFunction(_ real: Tensor, _ reconstructed: Tensor) throws -> Tensor
}
