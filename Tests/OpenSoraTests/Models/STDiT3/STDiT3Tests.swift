import Foundation
import MLXTensor
import NN
@testable import OpenSora
import XCTest

/// Behaviour of the tiny model beyond the parity fixtures: input checks, CFG tiling, caption
/// dropout, checkpoint round trip, gradients.
final class STDiT3Tests: XCTestCase {
    let config = STDiT3Config.tiny
    lazy var model = try! STDiT3(config, key: RandomKey(seed: 1))

    func inputs(batch b: Int = 2, frames t: Int = 2) -> (x: Tensor, t: Tensor, y: Tensor, fps: Tensor) {
        let k = RandomKey(seed: 2).split(into: 2)
        return (Tensor.normal([b, 4, t, 4, 6], key: k[0]), Tensor(Array(repeating: 500, count: b)),
                Tensor.normal([b, 1, 8, 32], key: k[1]), Tensor([24]))
    }

    func testOutputShapeAndBadInputsNameTheShapes() throws {
        let i = inputs()
        let out = try model(i.x, timestep: i.t, caption: i.y, fps: i.fps, height: 32, width: 48)
        XCTAssertEqual(out.shape, [2, 8, 2, 4, 6])
        XCTAssertThrowsError(try model(Tensor.zeros([2, 3, 2, 4, 6]), timestep: i.t, caption: i.y, fps: i.fps, height: 32, width: 48)) {
            XCTAssertTrue("\($0)".contains("[2, 3, 2, 4, 6]"), "\($0)")
        }
        XCTAssertThrowsError(try model(i.x, timestep: i.t, caption: i.y, captionMask: Tensor.ones([2, 5]), fps: i.fps, height: 32, width: 48)) {
            XCTAssertTrue("\($0)".contains("[2, 5]"), "\($0)")
        }
        XCTAssertThrowsError(try model(i.x, timestep: i.t, caption: i.y, frameMask: Tensor([true, false, true], shape: [1, 3]),
                                       fps: i.fps, height: 32, width: 48)) { XCTAssertTrue("\($0)".contains("[1, 3]"), "\($0)") }
        XCTAssertThrowsError(try model(i.x, timestep: Tensor([1, 2, 3]), caption: i.y, fps: i.fps, height: 32, width: 48))
        XCTAssertThrowsError(try model(i.x, timestep: i.t, caption: i.y, fps: Tensor([24, 24, 24]), height: 32, width: 48))
        XCTAssertThrowsError(try model(i.x, timestep: i.t, caption: i.y, fps: i.fps, height: 0, width: 48))
    }

    func testMaskForFewerRowsIsTiledLikeTheCFGBatch() throws {
        let i = inputs()
        let mask = Tensor([1, 1, 1, 0, 0, 0, 0, 0], shape: [1, 8])
        let tiled = try model(i.x, timestep: i.t, caption: i.y, captionMask: mask, fps: i.fps, height: 32, width: 48)
        let explicit = try model(i.x, timestep: i.t, caption: i.y, captionMask: mask.tiled([2, 1]), fps: Tensor([24, 24]),
                                 height: 32, width: 48)
        XCTAssertLessThan(try maxAbsDifference(tiled, explicit), 1e-6)
        // Masked-out tokens do not matter; unmasked ones do.
        let changedPadding = i.y.updatingSlice(start: [0, 0, 5, 0], with: Tensor.ones([2, 1, 3, 32]) * 9)
        let same = try model(i.x, timestep: i.t, caption: changedPadding, captionMask: mask, fps: i.fps, height: 32, width: 48)
        XCTAssertLessThan(try maxAbsDifference(same, tiled), 1e-6)
        let changedValid = i.y.updatingSlice(start: [0, 0, 0, 0], with: Tensor.ones([2, 1, 1, 32]) * 9)
        let different = try model(i.x, timestep: i.t, caption: changedValid, captionMask: mask, fps: i.fps, height: 32, width: 48)
        XCTAssertGreaterThan(try maxAbsDifference(different, tiled), 1e-3)
    }

    func testCaptionDropoutUsesTheNullCaption() throws {
        let i = inputs()
        let dropped = try model(i.x, timestep: i.t, caption: i.y, fps: i.fps, height: 32, width: 48,
                                captionDrop: Tensor([true, false]))
        let nullFirst = Tensor.concatenate([model.nullCaption, i.y[1..<2]], axis: 0)
        let explicit = try model(i.x, timestep: i.t, caption: nullFirst, fps: i.fps, height: 32, width: 48)
        XCTAssertLessThan(try maxAbsDifference(dropped, explicit), 1e-6)
        let drops = try model.captionEmbedder.dropMask(batch: 4000, key: RandomKey(seed: 3)).asType(.float32).mean().item()
        XCTAssertEqual(drops, 0.1, accuracy: 0.02)
    }

    func testCheckpointFileRoundTripLoadsStrictly() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.saveWeights(to: dir.appendingPathComponent("model.safetensors").path)
        let other = try STDiT3(config, key: RandomKey(seed: 99))
        let report = try other.loadWeights(path: dir.path)
        XCTAssertTrue(report.isClean)
        let i = inputs()
        let a = try model(i.x, timestep: i.t, caption: i.y, fps: i.fps, height: 32, width: 48)
        let b = try other(i.x, timestep: i.t, caption: i.y, fps: i.fps, height: 32, width: 48)
        XCTAssertEqual(try maxAbsDifference(a, b), 0)
    }

    func testGradientsReachEveryParameterAndMatchFiniteDifferences() throws {
        let i = inputs(batch: 1, frames: 2)
        let mask = Tensor([true, false], shape: [1, 2])
        func loss() throws -> Tensor {
            try model(i.x, timestep: Tensor([300]), caption: i.y[0..<1], frameMask: mask, fps: i.fps, height: 32, width: 48)
                .square().mean()
        }
        let (_, grads) = try model.valueAndGrad(loss)
        let trainable = model.trainableParameters().map(\.0)
        XCTAssertEqual(Set(grads.keys), Set(trainable))
        for name in trainable {
            XCTAssertGreaterThan(try grads[name]!.abs().max().item(), 0, "no gradient reaches \(name)")
        }
        XCTAssertFalse(trainable.contains("y_embedder.y_embedding"))
        XCTAssertFalse(trainable.contains("rope.freqs"))
        // Central differences on one element of three parameters in different parts of the model.
        for name in ["x_embedder.proj.bias", "temporal_blocks.1.attn.qkv.weight", "spatial_blocks.0.mlp.fc2.bias"] {
            let original = model.namedParameters().first { $0.0 == name }!.1
            let flat = try original.toArray()
            let h: Float = 1e-2
            func value(_ delta: Float) throws -> Float {
                var v = flat
                v[0] += delta
                try model.update(parameters: [name: Tensor(v, shape: original.shape)])
                defer { try? model.update(parameters: [name: original]) }
                return try loss().item()
            }
            let numeric = (try value(h) - value(-h)) / (2 * h)
            let analytic = try grads[name]!.reshaped(-1)[0].item()
            XCTAssertEqual(analytic, numeric, accuracy: 2e-3 + 2e-2 * abs(numeric), name)
        }
    }

    func testFrozenFlagsFollowTheConfig() throws {
        var c = config
        c.freezeCaptionEmbedder = true
        XCTAssertFalse(try STDiT3(c, key: RandomKey(seed: 1)).trainableParameters().contains { $0.0.hasPrefix("y_embedder.") })
        c.onlyTrainTemporal = true
        XCTAssertTrue(try STDiT3(c, key: RandomKey(seed: 1)).trainableParameters().allSatisfy { $0.0.hasPrefix("temporal_blocks.") })
        c.hiddenSize = 66
        XCTAssertThrowsError(try STDiT3(c, key: RandomKey(seed: 1))) { XCTAssertTrue("\($0)".contains("66")) }
    }
}
