import MLXTensor
import OpenSora
@testable import OpenSoraTraining
import XCTest

/// LPIPS as VAELoss's perceptual term (the parity of LPIPS itself is in OpenSoraTests).
final class LPIPSPerceptualLossTests: XCTestCase {
    func testVAELossAddsWeightedLPIPSPerFrameAndDifferentiatesThroughIt() throws {
        let lpips = try LPIPS(.tiny, key: RandomKey(seed: 3))
        let video = Tensor.uniform([1, 3, 2, 16, 16], low: -1, high: 1, key: RandomKey(seed: 4))
        let rec = Tensor.uniform([1, 3, 2, 16, 16], low: -1, high: 1, key: RandomKey(seed: 5))
        let moments = Tensor.zeros([1, 2, 1, 1, 1])
        let posterior = DiagonalGaussian(moments: moments, axis: 1)
        let perceptual = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0.1, klLossWeight: 0), perceptual: lpips)
        let plain = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0, klLossWeight: 0))

        // Each frame's distance is broadcast over its 3·16·16 elements; the NLL sums and divides by 2 frames.
        let distance = try (lpips as PerceptualLoss)(VAELoss.frames(video), VAELoss.frames(rec))
        XCTAssertEqual(distance.shape, [2, 1, 1, 1])
        let added = try perceptual(video, rec, posterior: posterior).nll.item() - plain(video, rec, posterior: posterior).nll.item()
        let expected = 0.1 * (try distance.sum().item()) * 768 / 2
        XCTAssertEqual(added, expected, accuracy: 1e-3 * abs(expected))  // the difference of two float32 sums of ~500

        let gradient = { (loss: VAELoss) in
            try valueAndGrad(of: { [try loss(video, $0[0], posterior: posterior).nll] }, at: [rec]).grads[0]
        }
        let withLPIPS = try gradient(perceptual), l1Only = try gradient(plain)
        XCTAssertEqual(try withLPIPS.isNaN().sum().item(), 0)
        XCTAssertGreaterThan(try (withLPIPS - l1Only).abs().max().item(), 0, "LPIPS reaches the reconstruction's gradient")
    }
}
