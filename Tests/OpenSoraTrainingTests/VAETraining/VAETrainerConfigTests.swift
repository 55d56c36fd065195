import OpenSora
@testable import OpenSoraTraining
import XCTest

/// A config train-vae cannot run is refused naming the key (or the trainer) before any step.
final class VAETrainerConfigTests: XCTestCase {
    static let run = Result { try TinyVAERun(videos: 1, images: 0) }

    func assertRefused(_ extra: [String], preset: String = "vae_stage1", mentions: String, file: StaticString = #filePath,
                       line: UInt = #line) {
        do {
            _ = try VAETrainer(config: try Self.run.get().config(preset, extra: extra))
            XCTFail("accepted \(extra)", file: file, line: line)
        } catch {
            XCTAssertTrue("\(error)".contains(mentions), "\(error)", file: file, line: line)
        }
    }

    func testADiffusionConfigIsRefused() throws {
        assertRefused(["trainer=diffusion"], mentions: "this command trains 'vae'")
        XCTAssertThrowsError(try VAETrainer(config: try TrainingConfig.preset("stage1"))) { error in
            XCTAssertEqual(error as? TrainingError, .wrongTrainer(config: "the config", expected: .vae, found: .diffusion))
        }
        assertRefused(["model.type=STDiT3-tiny"], mentions: "model.type STDiT3-tiny")
    }

    func testUnknownAndUnsupportedKeysAreNamed() {
        assertRefused(["vae_loss.use_z_rec=true"], mentions: "unknown key 'vae_loss.use_z_rec'")
        assertRefused(["discriminator={type: DISCRIMINATOR_3D}"], mentions: "discriminator.type")
        assertRefused(["discriminator_start=2000"], mentions: "vae_loss.discriminator_start")
    }

    func testInvalidValuesAreNamed() {
        assertRefused(["dataset.type=VariableVideoTextDataset"], mentions: "dataset.type")
        assertRefused(["dataset.image_size=[16, 24]"], mentions: "dataset.image_size")
        assertRefused(["vae_loss.use_z_rec_loss=false", "vae_loss.use_image_identity_loss=false"], mentions: "vae_loss")
        assertRefused(["model.vae_2d.from_pretrained=PixArt-alpha/pixart_sigma_sdxlvae_T5_diffusers"], mentions: "model.vae_2d.from_pretrained")
        assertRefused(["vae_loss.lpips_weights=[/no/such/vgg.pth]"], preset: "vae_stage3", mentions: "/no/such/vgg.pth")
    }

    func testANullDiscriminatorIsTheReferenceDefault() throws {
        XCTAssertNoThrow(try Self.run.get().config(extra: ["discriminator=null"]))
    }
}
