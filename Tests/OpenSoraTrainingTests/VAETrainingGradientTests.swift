import MLXTensor
import NN
import OpenSora
@testable import OpenSoraTraining
import XCTest

/// freeze_vae_2d decides which parameters the step trains: stage 1 only the temporal VAE's, stage 3 all.
final class VAETrainingGradientTests: XCTestCase {
    /// The step's gradients; `checked` is also compared with central differences (a parameter whose
    /// loss is smooth enough there: the L1 terms make deeper ones too kinked for a finite step).
    func gradients(_ stage: VAETrainingStage, frames: Int, checked name: String) throws -> (VideoVAE, [String: Tensor]) {
        var config = VideoVAEConfig.tiny
        config.microFrameSize = nil
        let vae = try VideoVAE(config, key: RandomKey(seed: 21))
        stage.configure(vae)
        vae.train()
        let x = Tensor.uniform([1, 3, frames, 16, 16], low: -1, high: 1, key: RandomKey(seed: 22))
        let ns = Tensor.normal([1, 4, frames, 2, 2], key: RandomKey(seed: 23))
        let nt = Tensor.normal([1, 4, vae.latentFrames(frames), 2, 2], key: RandomKey(seed: 24))
        let loss = VAELoss(VAELossConfig(logvarInit: 0, perceptualLossWeight: 0, klLossWeight: 1e-6))
        func total() throws -> Tensor {
            try stage.stepLosses(x, try vae.trainingForward(x, spatialNoise: ns, temporalNoise: nt), loss: loss).total
        }
        let (value, grads) = try vae.valueAndGrad(total)
        XCTAssertGreaterThan(try value.item(), 0)
        XCTAssertEqual(try value.item(), try total().item(), accuracy: 1e-4 * abs(try value.item()))
        let original = try XCTUnwrap(vae.namedParameters().first { $0.0 == name }?.1)
        let flat = try original.toArray(), h: Float = 1e-2
        func shifted(_ delta: Float) throws -> Float {
            var v = flat
            v[0] += delta
            try vae.update(parameters: [name: Tensor(v, shape: original.shape)])
            defer { try? vae.update(parameters: [name: original]) }
            return try total().item()
        }
        let numeric = (try shifted(h) - shifted(-h)) / (2 * h)
        let analytic = try XCTUnwrap(grads[name]).reshaped(-1)[0].item()
        XCTAssertEqual(analytic, numeric, accuracy: 1e-3 + 2e-2 * abs(numeric), name)
        return (vae, grads)
    }

    func assertEveryGradientIsNonZero(_ grads: [String: Tensor], file: StaticString = #filePath, line: UInt = #line) throws {
        for (name, g) in grads.sorted(by: { $0.key < $1.key }) {
            XCTAssertGreaterThan(try g.abs().max().item(), 0, "no gradient reaches \(name)", file: file, line: line)
        }
    }

    func testStageOneTrainsTheTemporalVAEOnly() throws {
        // An image step: z reconstruction + identity.
        let (vae, grads) = try gradients(.stage1, frames: 1, checked: "temporal_vae.encoder.conv2.conv.bias")
        let temporal = Set(vae.namedParameters().map(\.0).filter { $0.hasPrefix("temporal_vae.") })
        XCTAssertFalse(temporal.isEmpty)
        XCTAssertEqual(Set(grads.keys), temporal)
        try assertEveryGradientIsNonZero(grads)
    }

    func testStageThreeTrainsEverything() throws {
        let (vae, grads) = try gradients(.stage3, frames: 5, checked: "spatial_vae.module.decoder.conv_out.bias")
        let all = Set(vae.namedParameters().map(\.0)).subtracting(vae.bufferPaths())
        XCTAssertEqual(Set(grads.keys), all)
        XCTAssertTrue(all.contains("spatial_vae.module.encoder.conv_in.weight"))
        XCTAssertTrue(all.contains("spatial_vae.module.decoder.conv_out.bias"))
        try assertEveryGradientIsNonZero(grads)
    }

    /// Stage 2 trains everything, but its z reconstruction never reaches the spatial decoder; the spatial
    /// encoder is trained through x_z (input and target of that loss, not detached).
    func testStageTwoReachesTheSpatialEncoderButNotItsDecoder() throws {
        let (vae, grads) = try gradients(.stage2, frames: 5, checked: "temporal_vae.encoder.conv2.conv.bias")
        XCTAssertEqual(Set(grads.keys), Set(vae.namedParameters().map(\.0)).subtracting(vae.bufferPaths()))
        for (name, g) in grads where name.hasPrefix("spatial_vae.module.decoder.") || name.hasPrefix("spatial_vae.module.post_quant_conv.") {
            XCTAssertEqual(try g.abs().max().item(), 0, name)
        }
        try assertEveryGradientIsNonZero(grads.filter { $0.key.hasPrefix("spatial_vae.module.encoder.") || $0.key.hasPrefix("temporal_vae.encoder.") })
    }
}
