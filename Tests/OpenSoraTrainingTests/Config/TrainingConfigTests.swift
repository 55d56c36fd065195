import OpenSora
@testable import OpenSoraTraining
import XCTest

final class TrainingConfigTests: XCTestCase {
    func testDiffusionPresetsCarryTheReferenceValues() throws {
        let s1 = try TrainingConfig.preset("stage1")
        XCTAssertEqual(s1.trainer, .diffusion)
        XCTAssertEqual(s1.optimizer.lr, 1e-4)
        XCTAssertEqual(s1.optimizer.eps, 1e-15)
        XCTAssertEqual(s1.optimizer.betas, [0.9, 0.999])
        XCTAssertEqual(s1.warmupSteps, 1000)
        XCTAssertEqual(s1.emaDecay, 0.99)
        XCTAssertEqual(s1.gradClip, 1.0)
        XCTAssertEqual([s1.logEvery, s1.ckptEvery, s1.epochs, s1.numWorkers, s1.numBucketBuildWorkers], [10, 200, 1000, 8, 16])
        XCTAssertEqual(s1.seed, 42)
        XCTAssertTrue(s1.gradCheckpoint)
        XCTAssertEqual(s1.model.freezeYEmbedder, true)
        XCTAssertEqual(s1.bucketConfig, BucketConfig.stage1)
        XCTAssertEqual(try XCTUnwrap(s1.maskRatios).ratio(of: .identity), 0.8, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(s1.maskRatios).entries.first?.type, .random)
        XCTAssertEqual(s1.textEncoder?.modelMaxLength, 300)

        let s2 = try TrainingConfig.preset("stage2")
        XCTAssertNil(s2.warmupSteps)
        XCTAssertEqual(s2.bucketConfig, BucketConfig.stage2)

        let s3 = try TrainingConfig.preset("stage3")
        XCTAssertEqual(s3.warmupSteps, 1000)
        XCTAssertEqual(s3.bucketConfig, BucketConfig.stage3)
        XCTAssertEqual(try XCTUnwrap(s3.maskRatios).ratio(of: .identity), 0.75, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(s3.maskRatios).ratio(of: .imageHead), 0.22)

        let feat = try TrainingConfig.preset("stage1_feat")
        XCTAssertEqual(feat.dataset.type, .batchFeature)
        XCTAssertNil(feat.bucketConfig)
        XCTAssertEqual(feat.optimizer.lr, 2e-4)
        XCTAssertEqual(feat.ckptEvery, 500)
        XCTAssertEqual(feat.model.skipYEmbedder, true)
        XCTAssertTrue(feat.loadVideoFeatures && feat.loadTextFeatures)
        XCTAssertEqual(try XCTUnwrap(feat.maskRatios).ratio(of: .identity), 0.5, accuracy: 1e-12)
    }

    func testVAEPresetsCarryTheReferenceValues() throws {
        let v1 = try TrainingConfig.preset("vae_stage1")
        XCTAssertEqual(v1.trainer, .vae)
        XCTAssertEqual(v1.optimizer.lr, 1e-5)
        XCTAssertEqual(v1.optimizer.eps, 1e-8, "the VAE configs keep the code default")
        XCTAssertNil(v1.emaDecay)
        XCTAssertEqual(v1.batchSize, 1)
        XCTAssertEqual([v1.logEvery, v1.ckptEvery, v1.epochs], [1, 1000, 100])
        XCTAssertEqual(v1.dataset.numFrames, 17)
        XCTAssertEqual(v1.dataset.imageSize, [256, 256])
        XCTAssertEqual(v1.model.freezeVAE2D, true)
        XCTAssertEqual(v1.model.vae2D?.subfolder, "vae")
        XCTAssertEqual(v1.vaeLoss?.mixedStrategy, .videoImage)
        XCTAssertEqual(v1.vaeLoss?.mixedImageRatio, 0.2)
        XCTAssertEqual(v1.vaeLoss?.useImageIdentityLoss, true)
        XCTAssertEqual(v1.outputs, "outputs/vae_stage1")

        let v2 = try TrainingConfig.preset("vae_stage2")
        XCTAssertEqual(v2.model.freezeVAE2D, false)
        XCTAssertEqual(v2.model.fromPretrained, "outputs/vae_stage1")
        XCTAssertEqual(v2.vaeLoss?.useImageIdentityLoss, false)

        let v3 = try TrainingConfig.preset("vae_stage3")
        XCTAssertEqual(v3.dataset.numFrames, 33)
        XCTAssertEqual(v3.vaeLoss?.mixedStrategy, .videoRandom)
        XCTAssertEqual(v3.vaeLoss?.useRealRecLoss, true)
        XCTAssertEqual(v3.vaeLoss?.useZRecLoss, false)
    }

    func testAbsentKeysTakeTheTrainScriptDefaults() throws {
        let c = try TrainingConfig(yaml: "trainer: vae\n")
        XCTAssertEqual(c.seed, 1024)
        XCTAssertEqual(c.dtype, .bf16)
        XCTAssertEqual(c.optimizer.eps, 1e-8)
        XCTAssertEqual(c.emaDecay, 0.9999)
        XCTAssertEqual(c.gradClip, 0)
        XCTAssertEqual(c.ckptEvery, 0)
    }

    func testEveryPresetReadsBackFromItsDump() throws {
        for name in TrainingConfig.presetNames {
            let c = try TrainingConfig.preset(name)
            XCTAssertEqual(try TrainingConfig(yaml: c.yamlText(), source: "dump of \(name)"), c, name)
        }
    }

    func testUnknownKeysNameThePathAndTheAcceptedKeys() throws {
        XCTAssertThrowsError(try TrainingConfig(yaml: "optimizer:\n  lrr: 1e-4\n")) { error in
            guard case .unknownKey(let path, let accepted, let hint) = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "optimizer.lrr")
            XCTAssertEqual(accepted, ["lr", "eps", "weight_decay", "betas"])
            XCTAssertEqual(hint, "lr")
            XCTAssertTrue("\(error)".contains("optimizer.lrr"))
        }
        XCTAssertThrowsError(try TrainingConfig(yaml: "lr: 1e-4\n")) { error in
            guard case .unknownKey(let path, _, let hint) = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "lr")
            XCTAssertEqual(hint, "optimizer.lr", "the reference's flat key points at its new place")
        }
        XCTAssertThrowsError(try TrainingConfig(yaml: "mask_ratios: {identity: 0.5, rnadom: 0.5}\n")) { error in
            guard case .unknownKey(let path, _, let hint) = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "mask_ratios.rnadom")
            XCTAssertEqual(hint, "random")
        }
    }

    func testIllTypedValuesNameTheKey() throws {
        XCTAssertThrowsError(try TrainingConfig(yaml: "optimizer: {lr: fast}\n")) { error in
            XCTAssertEqual(error as? ConfigError, .typeMismatch(path: "optimizer.lr", expected: "a number", found: "fast"))
        }
        XCTAssertThrowsError(try TrainingConfig(yaml: "optimizer: {betas: [0.9, x]}\n")) { error in
            XCTAssertEqual(error as? ConfigError, .typeMismatch(path: "optimizer.betas[1]", expected: "a number", found: "x"))
        }
        XCTAssertThrowsError(try TrainingConfig(yaml: "epochs: 1.5\n")) { error in
            XCTAssertEqual(error as? ConfigError, .typeMismatch(path: "epochs", expected: "an integer", found: "1.5"))
        }
        XCTAssertThrowsError(try TrainingConfig(yaml: "dtype: fp8\n")) { error in
            XCTAssertEqual(error as? ConfigError, .invalidValue(path: "dtype", value: "'fp8'", accepted: "one of bf16, fp16, fp32"))
        }
        XCTAssertThrowsError(try TrainingConfig(yaml: "trainer: vae\ngrad_accumulation_steps: 0\n")) { error in
            XCTAssertEqual(error as? ConfigError, .invalidValue(path: "grad_accumulation_steps", value: "0", accepted: "an integer ≥ 1"))
        }
        XCTAssertThrowsError(try TrainingConfig(yaml: "mask_ratios: {random: 0.7, image_head: 0.4}\ntrainer: vae\n")) { error in
            guard case .invalidValue(let path, _, _) = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "mask_ratios")
        }
        XCTAssertThrowsError(try TrainingConfig(yaml: "trainer: diffusion\n")) { error in
            XCTAssertEqual(error as? ConfigError, .missingKey(path: "bucket_config"))
        }
    }

    func testOverridesAreTypedByTheKeyTheyLandOn() throws {
        let sets = try ["optimizer.lr=2e-5", "optimizer.betas=[0.9, 0.98]", "bucket_config.144p.51=[1.0, 20]", "outputs=1e5",
                        "warmup_steps=null"].map(ConfigOverride.init(parsing:))
        let c = try TrainingConfig.preset("stage1", overrides: sets)
        XCTAssertEqual(c.optimizer.lr, 2e-5)
        XCTAssertEqual(c.optimizer.eps, 1e-15, "a nested override keeps the section's other keys")
        XCTAssertEqual(c.optimizer.betas, [0.9, 0.98])
        XCTAssertEqual(c.outputs, "1e5", "a string key reads the text as written")
        XCTAssertNil(c.warmupSteps)
        let row = try XCTUnwrap(c.bucketConfig?.resolutions.first { $0.resolution.rawValue == "144p" })
        XCTAssertEqual(row.frames.first { $0.frameCount == 51 }?.batchSize, 20)

        XCTAssertThrowsError(try TrainingConfig.preset("stage1", overrides: [ConfigOverride(parsing: "epochs=many")])) { error in
            XCTAssertEqual(error as? ConfigError, .typeMismatch(path: "epochs", expected: "an integer", found: "many"))
        }
        XCTAssertThrowsError(try TrainingConfig.preset("stage1", overrides: [ConfigOverride(parsing: "optimizer.lrr=1")])) { error in
            guard case .unknownKey(let path, _, _) = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "optimizer.lrr")
        }
        XCTAssertThrowsError(try ConfigOverride(parsing: "optimizer.lr")) { error in
            XCTAssertEqual(error as? ConfigError, .malformedOverride("optimizer.lr"))
        }
        XCTAssertThrowsError(try ConfigOverride(parsing: "optimizer..lr=1")) { error in
            XCTAssertEqual(error as? ConfigError, .malformedOverride("optimizer..lr=1"))
        }
    }

    func testTreeMergeAndSet() throws {
        let a = try ConfigNode(yaml: "x: 1\nopt: {lr: 1, eps: 2}\nb: {k: 1}\n")
        let b = try ConfigNode(yaml: "opt: {lr: 3}\nb: {j: 2}\nz: 4\n")
        let m = a.merged(with: b, wholeValues: ["b"])
        XCTAssertEqual(m, try ConfigNode(yaml: "x: 1\nopt: {lr: 3, eps: 2}\nb: {j: 2}\nz: 4\n"))
        XCTAssertEqual(m.entries?.map(\.key), ["x", "opt", "b", "z"])
        XCTAssertEqual(try a.setting(["opt", "new", "deep"], to: .plain("5"))["opt"]?["new"]?["deep"], .plain("5"))
        XCTAssertThrowsError(try a.setting(["x", "y"], to: .plain("5"))) { error in
            guard case .typeMismatch(let path, _, _) = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "x")
        }
    }

    func testBaseInheritsAPresetAndMergesSections() throws {
        let c = try TrainingConfig(yaml: "base: stage3\noptimizer: {lr: 3.0e-5}\nmask_ratios: {image_head: 0.5}\n")
        XCTAssertEqual(c.optimizer.lr, 3e-5)
        XCTAssertEqual(c.optimizer.eps, 1e-15)
        XCTAssertEqual(c.bucketConfig, BucketConfig.stage3)
        XCTAssertEqual(c.maskRatios?.entries.map(\.type), [.imageHead, .identity], "mask_ratios replaces as a whole; identity takes the rest")
        XCTAssertEqual(c.maskRatios?.ratio(of: .identity), 0.5)
        XCTAssertThrowsError(try TrainingConfig(yaml: "base: stage9\n")) { error in
            guard case .invalidValue(let path, _, _) = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "base")
        }
        XCTAssertThrowsError(try TrainingConfig.preset("stage9")) { error in
            XCTAssertEqual(error as? ConfigError, .unknownPreset("stage9", accepted: TrainingConfig.presetNames))
        }
    }
}

final class ReferenceFlagTests: XCTestCase {
    func testReferenceFlagsLandOnTheirKeys() throws {
        let flags = try [("--data-path", "train.csv"), ("--ckpt-path", "pretrained/stdit3"), ("lr", "3e-5"), ("--warmup-steps", "10")]
            .map { try ConfigOverride(referenceFlag: $0.0, value: $0.1) }
        let c = try TrainingConfig.preset("stage2", overrides: flags)
        XCTAssertEqual(c.dataset.dataPath, "train.csv")
        XCTAssertEqual(c.model.fromPretrained, "pretrained/stdit3")
        XCTAssertEqual(c.optimizer.lr, 3e-5)
        XCTAssertEqual(c.warmupSteps, 10)
        XCTAssertThrowsError(try ConfigOverride(referenceFlag: "--data-pth", value: "x")) { error in
            guard case .unknownKey(let path, _, let hint) = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "--data-pth")
            XCTAssertEqual(hint, "--data-path")
        }
    }
}

final class ConfigFileTests: XCTestCase {
    func testBaseMayNameAFileBesideTheConfig() throws {
        let folder = try CheckpointFixture.folder()
        try "base: stage1\nseed: 7\n".write(toFile: (folder as NSString).appendingPathComponent("mine.yaml"), atomically: true, encoding: .utf8)
        let child = (folder as NSString).appendingPathComponent("child.yaml")
        try "base: mine.yaml\nepochs: 3\n".write(toFile: child, atomically: true, encoding: .utf8)
        let c = try TrainingConfig(file: child)
        XCTAssertEqual([c.seed, UInt64(c.epochs)], [7, 3])
        XCTAssertEqual(c.bucketConfig, BucketConfig.stage1)
        let loop = (folder as NSString).appendingPathComponent("loop.yaml")
        try "base: loop.yaml\n".write(toFile: loop, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TrainingConfig(file: loop)) { error in
            guard case .baseChain = error as? ConfigError else { return XCTFail("\(error)") }
        }
    }

    func testABadBucketTableNamesTheResolution() {
        XCTAssertThrowsError(try TrainingConfig(yaml: "bucket_config: {\"999p\": {1: [1.0, 4]}}\n")) { error in
            guard case .unknownResolution(let name, let accepted) = error as? BucketError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "999p")
            XCTAssertTrue(accepted.contains("240p"))
        }
    }
}

final class TrainingConfigAdditionsTests: XCTestCase {
    /// The added size keys belong to the tiny model only, and each error names the key.
    func testSizeKeysNameTheKeyOutsideTheTinyModel() throws {
        XCTAssertThrowsError(try TrainingConfig(yaml: "model: {type: STDiT3-XL/2, depth: 4}\nbucket_config: {\"144p\": {1: [1.0, 2]}}\n").validate()) {
            XCTAssertTrue("\($0)".contains("model.depth"), "\($0)")
        }
        XCTAssertThrowsError(try TrainingConfig(yaml: "model: {type: STDiT3-tiny, hidden_size: 66, num_heads: 4}\nbucket_config: {\"144p\": {1: [1.0, 2]}}\n").validate()) {
            XCTAssertTrue("\($0)".contains("model.hidden_size"), "\($0)")
        }
        XCTAssertThrowsError(try TrainingConfig(yaml: "vae: {type: tinyy}\n")) {
            XCTAssertTrue("\($0)".contains("vae.type") && "\($0)".contains("OpenSoraVAE_V1_2, tiny"), "\($0)")
        }
        XCTAssertThrowsError(try TrainingConfig(yaml: "max_steps: 0\nbucket_config: {\"144p\": {1: [1.0, 2]}}\n").validate()) {
            XCTAssertTrue("\($0)".contains("max_steps"), "\($0)")
        }
    }

    /// RFlowScheduler's `transform_scale` reaches the scheduler section (default 1) and must be a positive number.
    func testTransformScaleIsReadAndChecked() throws {
        let buckets = "bucket_config: {\"144p\": {1: [1.0, 2]}}\n"
        XCTAssertEqual(try TrainingConfig(yaml: buckets).scheduler?.transformScale ?? 1, 1)
        let scaled = try TrainingConfig(yaml: "scheduler: {type: rflow, transform_scale: 10}\n" + buckets)
        XCTAssertEqual(scaled.scheduler?.transformScale, 10)
        XCTAssertNoThrow(try scaled.validate())
        for bad in ["0", "-2"] {
            XCTAssertThrowsError(try TrainingConfig(yaml: "scheduler: {type: rflow, transform_scale: \(bad)}\n" + buckets).validate()) {
                XCTAssertTrue("\($0)".contains("scheduler.transform_scale") && "\($0)".contains("> 0"), "\($0)")
            }
        }
    }

    /// The tiny preset builds the tiny model with its caption size taken from the tiny T5.
    func testTinyPresetBuildsTheTinyModel() throws {
        let c = try TrainingConfig.preset("tiny")
        let (vae, text) = try DiffusionModels.encoders(c)
        let stdit = try DiffusionModels.denoiserConfig(c, vae: vae, textEncoder: text)
        XCTAssertEqual(stdit.hiddenSize, 64)
        XCTAssertEqual(stdit.captionChannels, 32)
        XCTAssertEqual(stdit.modelMaxLength, 16)
        XCTAssertEqual(stdit.inChannels, 4)
    }
}
