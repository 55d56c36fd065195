import Foundation
import MLXTensor
import NN
@testable import OpenSora
import XCTest

/// Parity with tools/make_lpips_fixture.py (a narrow VGG-shaped LPIPS in PyTorch, reference key
/// names) and the loading rules for the reference's files.
final class LPIPSTests: XCTestCase {
    static let folder = fixturesDirectory.appendingPathComponent("lpips")
    static let rtol: Float = 1e-4, atol: Float = 1e-6
    static let caseCount = 2

    func fixture() throws -> SafetensorsFile {
        try Safetensors.load(Self.folder.appendingPathComponent("lpips_tiny.safetensors").path)
    }

    /// The state_dict part of the fixture (everything but `case<i>.*`).
    func referenceWeights(_ f: SafetensorsFile) -> [String: Tensor] { f.tensors.filter { !$0.key.hasPrefix("case") } }

    func loadedModel(_ f: SafetensorsFile) throws -> LPIPS {
        let model = try LPIPS(.tiny, key: RandomKey(seed: 1))
        try model.load(referenceWeights: referenceWeights(f))
        return model
    }

    /// numpy's allclose, reporting the worst element; returns the max |got − want|.
    @discardableResult
    func assertClose(_ got: Tensor, _ want: Tensor, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws -> Float {
        XCTAssertEqual(got.shape, want.shape, "\(what) shape", file: file, line: line)
        guard got.shape == want.shape else { return .infinity }
        let g = try got.toArray(), w = try want.toArray()
        var maxAbs: Float = 0
        for i in g.indices {
            let err = abs(g[i] - w[i])
            maxAbs = max(maxAbs, err.isNaN ? .infinity : err)
            if !(err <= Self.atol + Self.rtol * abs(w[i])) {
                XCTFail("\(what): element \(i) got \(g[i]) want \(w[i])", file: file, line: line)
                break
            }
        }
        return maxAbs
    }

    func testParameterPathsAndShapesEqualTheReferenceStateDict() throws {
        let f = try fixture()
        XCTAssertEqual(f.metadata["chns"], "\(LPIPSConfig.tiny.channels)")
        let model = try LPIPS(.tiny, key: RandomKey(seed: 1))
        let ours = model.stateDict(), reference = referenceWeights(f)
        XCTAssertEqual(ours.keys.sorted(), reference.keys.sorted())
        for (name, tensor) in reference { XCTAssertEqual(ours[name]?.shape, tensor.shape, name) }
        XCTAssertEqual(model.bufferPaths(), ["scaling_layer.shift", "scaling_layer.scale"])
        XCTAssertTrue(model.trainableParameters().isEmpty, "LPIPS is frozen")
        XCTAssertNotNil(ours["net.slice2.5.weight"], "torchvision's features.5 keeps its index in slice2")
        XCTAssertNotNil(ours["lin4.model.1.weight"])
    }

    func testFullWidthLayoutIsVGG16() throws {
        let model = try LPIPS(key: RandomKey(seed: 1))
        let shapes = model.stateDict().mapValues(\.shape)
        XCTAssertEqual(shapes.count, 13 * 2 + 5 + 2)
        XCTAssertEqual(shapes["net.slice1.0.weight"], [64, 3, 3, 3])
        XCTAssertEqual(shapes["net.slice5.28.weight"], [512, 512, 3, 3])
        XCTAssertEqual(shapes["lin2.model.1.weight"], [1, 256, 1, 1])
        XCTAssertEqual(model.parameterCount, 14_714_688 + 1472 + 6)  // torchvision's vgg16 features + heads + buffers
        XCTAssertEqual(VGG16Features.sliceBounds, [0, 4, 9, 16, 23, 30])
    }

    func testForwardMatchesTheFixture() throws {
        let f = try fixture(), model = try loadedModel(f)
        for i in 0..<Self.caseCount {
            let real = f.tensors["case\(i).real"]!, rec = f.tensors["case\(i).reconstructed"]!
            let got = model(real, rec)
            let diff = try assertClose(got, f.tensors["case\(i).distance"]!, "case\(i) distance")
            print("LPIPS case\(i) \(real.shape): distance max abs diff \(diff)")
        }
    }

    func testInputGradientMatchesTheFixture() throws {
        let f = try fixture(), model = try loadedModel(f)
        for i in 0..<Self.caseCount {
            let real = f.tensors["case\(i).real"]!, rec = f.tensors["case\(i).reconstructed"]!
            let (_, grads) = try valueAndGrad(of: { [model(real, $0[0]).sum()] }, at: [rec])
            let want = f.tensors["case\(i).grad_reconstructed"]!
            XCTAssertEqual(try grads[0].isNaN().sum().item(), 0, "case\(i): a NaN gradient")
            let scale = try want.abs().max().item()
            let got = try grads[0].toArray(), expected = try want.toArray()
            // Relative to the gradient's scale: single elements are sums of many terms of either sign.
            let diff = zip(got, expected).map { abs($0 - $1) }.map { $0.isNaN ? .infinity : $0 }.max() ?? .infinity
            XCTAssertLessThanOrEqual(diff, Self.rtol * scale, "case\(i) gradient")
            print("LPIPS case\(i) \(rec.shape): gradient max abs diff \(diff) (max |grad| \(scale))")
        }
    }

    func testIdenticalImagesAreExactlyZero() throws {
        let f = try fixture(), model = try loadedModel(f)
        let x = f.tensors["case1.real"]!
        XCTAssertEqual(try model(x, x).toArray(), [0, 0])
        XCTAssertEqual(try model(x, x.copy()).toArray(), [0, 0])
    }

    func testStrictLoadingNamesMissingAndUnexpectedKeys() throws {
        let f = try fixture()
        var weights = referenceWeights(f)
        weights["net.slice3.12.weight"] = nil
        weights["lin5.model.1.weight"] = Tensor.zeros([1, 16, 1, 1])
        let model = try LPIPS(.tiny, key: RandomKey(seed: 1))
        XCTAssertThrowsError(try model.load(referenceWeights: weights)) { error in
            guard case CheckpointError.mismatch(let report) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(report.missing, ["net.slice3.12.weight"])
            XCTAssertEqual(report.unexpected, ["lin5.model.1.weight"])
            XCTAssertTrue("\(error)".contains("net.slice3.12.weight"))
        }
    }

    func testTorchvisionTrunkAndTamingHeadsLoad() throws {
        let f = try fixture()
        // torchvision's vgg16 file: features.N.* (plus the unused classifier), from the fixture's trunk.
        var torchvision = [String: Tensor]()
        for (name, tensor) in referenceWeights(f) where name.hasPrefix("net.") {
            let parts = name.split(separator: ".")  // net, sliceK, N, weight|bias
            torchvision["features.\(parts[2]).\(parts[3])"] = tensor
        }
        torchvision["classifier.0.weight"] = Tensor.zeros([4, 4])
        XCTAssertEqual(torchvision.count, 13 * 2 + 1)
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vgg = folder.appendingPathComponent("vgg16.safetensors").path
        try Tensor.save(safetensors: vgg, torchvision)
        // heads.pth: taming's vgg.pth layout (lin heads only, no scaling buffers), a PyTorch zip file.
        let heads = Self.folder.appendingPathComponent("heads.pth").path
        let model = try LPIPS.load(headWeights: heads, vggWeights: vgg, config: .tiny)
        let real = f.tensors["case0.real"]!, rec = f.tensors["case0.reconstructed"]!
        try assertClose(model(real, rec), f.tensors["case0.distance"]!, "torchvision-loaded distance")

        // A features index past the trunk is named, not dropped.
        torchvision["features.30.weight"] = Tensor.zeros([1])
        try Tensor.save(safetensors: vgg, torchvision)
        XCTAssertThrowsError(try LPIPS.load(headWeights: heads, vggWeights: vgg, config: .tiny)) { error in
            XCTAssertTrue("\(error)".contains("features.30.weight"), "\(error)")
        }
    }

    func testTorchvisionIndicesMapToTheReferenceSlices() {
        XCTAssertEqual(LPIPS.trunkName(torchvision: "features.0.weight"), "net.slice1.0.weight")
        XCTAssertEqual(LPIPS.trunkName(torchvision: "features.5.bias"), "net.slice2.5.bias")
        XCTAssertEqual(LPIPS.trunkName(torchvision: "features.14.weight"), "net.slice3.14.weight")
        XCTAssertEqual(LPIPS.trunkName(torchvision: "features.17.weight"), "net.slice4.17.weight")
        XCTAssertEqual(LPIPS.trunkName(torchvision: "features.28.bias"), "net.slice5.28.bias")
        XCTAssertNil(LPIPS.trunkName(torchvision: "features.30.weight"))
        XCTAssertNil(LPIPS.trunkName(torchvision: "lin0.model.1.weight"))
    }

    func testBadInputsAreClearErrors() throws {
        let model = try LPIPS(.tiny, key: RandomKey(seed: 1))
        let a = Tensor.zeros([1, 3, 16, 16])
        XCTAssertThrowsError(try model(a, Tensor.zeros([1, 3, 16, 20])).checked()) { XCTAssertTrue("\($0)".contains("[LPIPS]")) }
        XCTAssertThrowsError(try model(Tensor.zeros([1, 3, 8, 16]), Tensor.zeros([1, 3, 8, 16])).checked())
        XCTAssertThrowsError(try model(Tensor.zeros([1, 1, 16, 16]), Tensor.zeros([1, 1, 16, 16])).checked())
        var config = LPIPSConfig()
        config.channels = [64, 128]
        XCTAssertThrowsError(try LPIPS(config, key: RandomKey(seed: 1))) { XCTAssertTrue("\($0)".contains("chns")) }
    }
}
