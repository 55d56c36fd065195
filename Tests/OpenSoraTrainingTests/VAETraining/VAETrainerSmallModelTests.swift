import MLXTensor
import NN
import OpenSora
@testable import OpenSoraTraining
import XCTest

/// The train-vae additions the default model's recipe uses: the parts' sizes from the config, the posterior
/// log-variance start, and decoder fine-tuning with the encoders frozen.
final class VAETrainerSmallModelTests: XCTestCase {
    static let run = Result { try TinyVAERun(videos: 2, images: 1) }

    func trainer(_ extra: [String]) throws -> VAETrainer {
        try VAETrainer(config: try Self.run.get().config("vae_stage3", extra: ["vae_loss.mixed_strategy=null"] + extra))
    }

    func testThePartsSizesComeFromTheConfig() throws {
        let t = try trainer(["model.vae_2d.block_out_channels=[8, 16, 16, 16]", "model.vae_2d.norm_num_groups=8",
                             "model.vae_temporal.filters=8", "model.vae_temporal.num_groups=4"])
        XCTAssertEqual(t.vae.config.spatial.blockOutChannels, [8, 16, 16, 16])
        XCTAssertEqual(t.vae.config.spatial.normGroups, 8)
        XCTAssertEqual(t.vae.config.temporal.filters, 8)
        XCTAssertEqual(t.vae.config.temporal.groups, 4)
        let weights = t.vae.namedParameters().first { $0.0 == "spatial_vae.module.encoder.conv_in.weight" }?.1
        XCTAssertEqual(weights?.dim(0), 8)
        // The checkpoint's config.json carries them, so the folder loads at its own size.
        let json = try VideoVAEConfig.decode(json: try t.modelConfigJSON())
        XCTAssertEqual(json.spatial.blockOutChannels, [8, 16, 16, 16])
        XCTAssertEqual(json.temporal.filters, 8)
    }

    func testSizeKeysAreRefusedForTheReleasedPipelineAndBadSizesNamed() throws {
        let run = try Self.run.get()
        XCTAssertThrowsError(try VAETrainer(config: try run.config("vae_stage3", extra: [
            "model.type=VideoAutoencoderPipeline", "model.vae_2d.block_out_channels=[8, 8, 8, 8]"]))) {
            XCTAssertTrue("\($0)".contains("VideoAutoencoderPipeline-tiny"), "\($0)")
        }
        XCTAssertThrowsError(try trainer(["model.vae_2d.block_out_channels=[6, 8, 8, 8]"])) {
            XCTAssertTrue("\($0)".contains("[6, 8, 8, 8]"), "\($0)")
        }
    }

    func testThePosteriorLogvarStartSetsOnlyTheLogvarHalfOfBothQuantConvBiases() throws {
        let plain = try trainer([]), started = try trainer(["model.posterior_logvar_init=-8"])
        let a = Dictionary(plain.vae.namedParameters(), uniquingKeysWith: { x, _ in x })
        let b = Dictionary(started.vae.namedParameters(), uniquingKeysWith: { x, _ in x })
        let biases = b.keys.filter { $0.hasSuffix("quant_conv.bias") || $0.hasSuffix("quant_conv.conv.bias") }.filter { !$0.contains("post_") }
        XCTAssertEqual(biases.count, 2, "\(biases)")
        for name in biases {
            let v: [Float] = try b[name]!.toArray(), w: [Float] = try a[name]!.toArray()
            XCTAssertEqual(Array(v[0..<(v.count / 2)]), Array(w[0..<(w.count / 2)]), name)
            XCTAssertEqual(Array(v[(v.count / 2)...]), [Float](repeating: -8, count: v.count / 2), name)
        }
        for (name, t) in a where !biases.contains(name) { XCTAssertEqual(try (t - b[name]!).abs().max().item() as Float, 0, name) }
        XCTAssertTrue(started.initialization.contains("posterior log-variance biases -8"), started.initialization)
    }

    /// freeze_encoder: neither encoder nor quant_conv is trained or gets gradient; the decoders do.
    func testFreezingTheEncodersTrainsOnlyTheDecoders() throws {
        let t = try trainer(["model.freeze_encoder=true"])
        let encoders = ["spatial_vae.module.encoder.", "spatial_vae.module.quant_conv.", "temporal_vae.encoder.", "temporal_vae.quant_conv."]
        let all = Set(t.vae.namedParameters().map(\.0)).subtracting(t.vae.bufferPaths())
        let decoders = all.filter { p in !encoders.contains { p.hasPrefix($0) } }
        XCTAssertEqual(Set(t.optimizer.trainablePaths), decoders)
        XCTAssertTrue(decoders.contains("spatial_vae.module.decoder.conv_out.weight"))
        XCTAssertTrue(decoders.contains("temporal_vae.post_quant_conv.conv.weight") || decoders.contains("temporal_vae.post_quant_conv.weight"))
        let x = Tensor.uniform([1, 3, 5, 16, 16], low: -1, high: 1, key: RandomKey(seed: 5))
        let grads = try t.vae.valueAndGrad { try t.stepLosses(of: x, step: 0, micro: 0).total }.grads
        XCTAssertEqual(Set(grads.keys), decoders)
    }

    /// vae_2d_only: the temporal VAE is bypassed (the reconstruction is the 2-D VAE's own decode of the sampled latent)
    /// and gets no gradient; a stage that asks for the temporal terms is refused.
    func testTheSpatialOnlyStageTrainsThe2DVAEAloneOnItsOwnReconstruction() throws {
        let t = try trainer(["model.vae_2d_only=true"])
        let all = Set(t.vae.namedParameters().map(\.0)).subtracting(t.vae.bufferPaths())
        let spatial = all.filter { $0.hasPrefix("spatial_vae.") }
        XCTAssertFalse(spatial.isEmpty)
        XCTAssertEqual(Set(t.optimizer.trainablePaths), spatial)
        let x = Tensor.uniform([1, 3, 5, 16, 16], low: -1, high: 1, key: RandomKey(seed: 6))
        let grads = try t.vae.valueAndGrad { try t.stepLosses(of: x, step: 0, micro: 0).total }.grads
        XCTAssertEqual(Set(grads.keys), spatial)
        // The reconstruction is frame by frame: the 2-D VAE's decode of its posterior sample, no temporal round trip.
        let noise = Tensor.normal([1, 4, 5, 2, 2], key: RandomKey(seed: 7))
        let out = try t.vae.trainingForward(x, spatialNoise: noise, temporalNoise: Tensor.zeros([1, 4, 2, 2, 2]), spatialOnly: true)
        let direct = try t.vae.spatial.decode(try t.vae.spatial.encode(x, noise: noise))
        XCTAssertLessThan(try (out.reconstruction - direct).abs().max().item() as Float, 1e-5)
        XCTAssertEqual(out.reconstruction.shape, [1, 3, 5, 16, 16])
        XCTAssertThrowsError(try trainer(["model.vae_2d_only=true", "vae_loss.use_z_rec_loss=true"])) {
            XCTAssertTrue("\($0)".contains("model.vae_2d_only"), "\($0)")
        }
        XCTAssertThrowsError(try trainer(["model.vae_2d_only=true", "model.freeze_vae_2d=true"]))
    }
}
