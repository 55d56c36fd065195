import MLXTensor
import NN
@testable import OpenSora
import XCTest

/// `gradientCheckpointing` recomputes each block in the backward pass: same loss, same gradient for
/// every trainable parameter, including those upstream of the blocks (the caption embedder and
/// t_block feed every block from outside it, so they are the checkpoint's explicit inputs).
final class STDiT3RecomputationTests: XCTestCase {
    func gradients(checkpointing: Bool, captionMask: Tensor?, frameMask: Tensor?) throws -> (Float, [String: Tensor]) {
        let model = try STDiT3(.tiny, key: RandomKey(seed: 1))
        model.gradientCheckpointing = checkpointing
        let k = RandomKey(seed: 2).split(into: 3)
        let x = Tensor.normal([2, 4, 3, 4, 6], key: k[0]), y = Tensor.normal([2, 1, 8, 32], key: k[1])
        let target = Tensor.normal([2, 8, 3, 4, 6], key: k[2])
        let (loss, grads) = try model.valueAndGrad {
            let out = try model(x, timestep: Tensor([300, 700] as [Float]), caption: y, captionMask: captionMask,
                                frameMask: frameMask, fps: Tensor([24]), height: 32, width: 48)
            return (out - target).square().mean()
        }
        XCTAssertEqual(Set(grads.keys), Set(model.trainableParameters().map(\.0)))
        return (try loss.item(), grads)
    }

    func assertSameGradients(captionMask: Tensor?, frameMask: Tensor?, file: StaticString = #filePath, line: UInt = #line) throws {
        let (plainLoss, plain) = try gradients(checkpointing: false, captionMask: captionMask, frameMask: frameMask)
        let (loss, recomputed) = try gradients(checkpointing: true, captionMask: captionMask, frameMask: frameMask)
        XCTAssertEqual(loss, plainLoss, accuracy: 1e-6 * abs(plainLoss), file: file, line: line)
        XCTAssertEqual(Set(recomputed.keys), Set(plain.keys), file: file, line: line)
        for (name, want) in plain.sorted(by: { $0.key < $1.key }) {
            let got = try XCTUnwrap(recomputed[name])
            let scale = try want.abs().max().item()
            XCTAssertGreaterThan(scale, 0, "no gradient reaches \(name)", file: file, line: line)
            XCTAssertLessThanOrEqual(try (got - want).abs().max().item(), 1e-5 * scale, name, file: file, line: line)
        }
        for upstream in ["y_embedder.y_proj.fc1.weight", "y_embedder.y_proj.fc2.bias", "t_block.1.weight", "t_block.1.bias",
                         "t_embedder.mlp.0.weight", "fps_embedder.mlp.2.bias", "x_embedder.proj.weight"] {
            XCTAssertNotNil(plain[upstream], "\(upstream) is trainable", file: file, line: line)
        }
    }

    func testSameGradientsWithoutMasks() throws {
        try assertSameGradients(captionMask: nil, frameMask: nil)
    }

    /// The per-sample caption path (tokens gathered by the mask) and the t = 0 modulation of
    /// conditioning frames, both rebuilt inside the recomputed block from its inputs.
    func testSameGradientsWithCaptionAndFrameMasks() throws {
        let captionMask = Tensor([1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0] as [Float], shape: [2, 8])
        let frameMask = Tensor([false, true, true, true, false, true], shape: [2, 3])
        try assertSameGradients(captionMask: captionMask, frameMask: frameMask)
    }

    func testOutsideAGradientTheOutputIsUnchanged() throws {
        let model = try STDiT3(.tiny, key: RandomKey(seed: 1))
        let x = Tensor.normal([1, 4, 2, 4, 6], key: RandomKey(seed: 3)), y = Tensor.normal([1, 1, 8, 32], key: RandomKey(seed: 4))
        func run() throws -> [Float] {
            try model(x, timestep: Tensor([500]), caption: y, fps: Tensor([24]), height: 32, width: 48).toArray()
        }
        let plain = try run()
        model.gradientCheckpointing = true
        XCTAssertEqual(try run(), plain)
    }
}
