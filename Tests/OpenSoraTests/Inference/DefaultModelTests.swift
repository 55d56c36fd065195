import Foundation
import MLXTensor
import NN
@testable import OpenSora
import XCTest

/// The shipped default model (docs/default-model.md): present, strict to load, within its size budget, and with the
/// sampling defaults it was trained for.
final class DefaultModelTests: XCTestCase {
    func testTheShippedWeightsLoadStrictlyWithinThirtyMegabytes() throws {
        XCTAssertTrue(DefaultModel.isAvailable, "Resources/default-model is missing (make default-model)")
        let folder = try XCTUnwrap(DefaultModel.folder)
        var bytes = 0
        for part in ["stdit", "vae", "t5"] {
            let path = (folder as NSString).appendingPathComponent(part)
            for name in try FileManager.default.contentsOfDirectory(atPath: path) {
                bytes += (try FileManager.default.attributesOfItem(atPath: (path as NSString).appendingPathComponent(name))[.size] as? Int) ?? 0
            }
            // Every tensor of the file is a parameter of the model and the reverse (strict), at its own shape.
            let tensors = try ModelFolder.tensors(at: path)
            XCTAssertFalse(tensors.isEmpty, part)
        }
        XCTAssertLessThanOrEqual(bytes, 30_000_000)
        let bundle = try DefaultModel.bundle()  // loadWeights(strict: true) throws on a missing or unexpected key
        XCTAssertEqual(bundle.denoiser.config.inChannels, bundle.vae.latentChannels)
        let encoder = try bundle.makeTextEncoder()
        XCTAssertEqual(encoder.model?.config.modelDimensions, bundle.denoiser.config.captionChannels)
        XCTAssertEqual(encoder.maxLength, bundle.denoiser.config.modelMaxLength)
        let weights = try ModelFolder.tensors(at: (folder as NSString).appendingPathComponent("stdit"))
        XCTAssertEqual(Set(weights.keys), Set(bundle.denoiser.stateDict().keys))
    }

    func testTheGenerationDefaultsAreTheTrainingFormat() throws {
        let d = try XCTUnwrap(try DefaultModel.generationDefaults())
        XCTAssertEqual(d.resolution?.rawValue, "64")
        XCTAssertEqual(d.aspectRatio?.rawValue, "1:1")
        XCTAssertEqual(d.numFrames, 17)
        XCTAssertEqual(d.fps, 8)
        XCTAssertEqual(d.aesNone, true)
        // Sampled with the timestep shift it was trained with (scheduler.transform_scale 10 in recipes/default-model/stdit.yaml).
        XCTAssertEqual(d.useTimestepTransform, true)
        XCTAssertEqual(d.transformScale, 10)
        XCTAssertEqual(try ResolutionTable.imageSize(try XCTUnwrap(d.resolution), try XCTUnwrap(d.aspectRatio)), VideoSize(height: 64, width: 64))
    }

    func testAMalformedGenerationConfigIsRefusedNamingTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gencfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertNil(try GenerationDefaults.read(folder: dir.path))
        try Data(#"{"resolution": "77p"}"#.utf8).write(to: dir.appendingPathComponent("generation_config.json"))
        XCTAssertThrowsError(try GenerationDefaults.read(folder: dir.path)) { XCTAssertTrue("\($0)".contains("generation_config.json"), "\($0)") }
    }
}
