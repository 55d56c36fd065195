// Reference: shared/fixtures/parity/README.md (vae.training_loss); scripts/train_vae.py@v1.2.0.
import Foundation
import MLXTensor
import NN
import OpenSora
import OpenSoraTraining

/// One step of train_vae.py on the fixture's pipeline: the training forward with the given posterior
/// noise, then the stage's losses. Every `out.*` is compared with atol + rtol·|want|, except the
/// tiny weighted KL (`kl_loss`, ~1e-5), which is compared relatively only (README, "Tolerances").
struct VAETrainingLossRunner: ParityRunner {
    static let relativeOnly: Set<String> = ["kl_loss"]

    func run(_ f: ParityFixture) throws -> ParityResult {
        let config = try f.jsonMetadata("config"), call = try f.jsonMetadata("call")
        guard let pipeline = config["pipeline"] as? [String: Any] else { throw ParityError.malformed(f.name, "config.pipeline missing") }
        let vae = try VideoVAE(try videoVAEConfig(pipeline, fixture: f.name), key: fixtureWeightsKey)
        try vae.loadWeights(from: f.weights)
        vae.train()
        let stage = try decodeConfig(VAETrainingStage.self, config["stage"], fixture: f.name)
        let loss = VAELoss(try decodeConfig(VAELossConfig.self, config["loss"], fixture: f.name))

        let x = try f.input("x")
        let out = try vae.trainingForward(x, spatialNoise: try f.input("noise_spatial"), temporalNoise: try f.input("noise_temporal"))
        let losses = try stage.stepLosses(x, out, loss: loss)
        var outputs: [String: Tensor] = [
            "loss": losses.total, "nll_loss": losses.nll, "kl_loss": losses.kl, "z_nll_loss": losses.zNLL,
            "x_rec": out.reconstruction, "x_z_rec": out.latentReconstruction, "z": out.z, "x_z": out.spatialLatents,
            "posterior_mean": out.posterior.mean, "posterior_logvar": out.posterior.logvar, "posterior_kl": out.posterior.kl(),
        ]
        outputs["image_identity_loss"] = losses.imageIdentity

        var problems = [String]()
        if let applied = call["identity_loss_applied"] as? Bool, applied != (losses.imageIdentity != nil) {
            problems.append("identity loss applied: \(losses.imageIdentity != nil), reference: \(applied)")
        }
        let expected = f.expectedOutputs
        for name in outputs.keys.sorted() where expected[name] == nil && name != "image_identity_loss" {
            problems.append("the fixture has no out.\(name)")
        }
        let absolute = f.filteringExpected { !Self.relativeOnly.contains($0) }
        let (worst, found) = try ParityHarness.differences(outputs, absolute)
        problems += found
        // The scalar losses are sums over thousands of elements: their relative error is the telling one.
        var worstRelative = 0.0
        for (name, want) in expected where want.ndim == 0 {
            let w = Double(try want.item()), g = Double(try outputs[name, default: Tensor(Float.nan)].item())
            let relative = Swift.abs(g - w) / Swift.max(Swift.abs(w), .leastNormalMagnitude)
            worstRelative = Swift.max(worstRelative, relative.isNaN ? .infinity : relative)
            if Self.relativeOnly.contains(name) && !(relative <= f.rtol) {
                problems.append("\(name): \(g) vs \(w), relative error \(relative) > \(f.rtol)")
            }
        }
        for name in Self.relativeOnly.sorted() where expected[name] == nil { problems.append("the fixture has no out.\(name)") }
        let detail = problems.isEmpty ? "losses max_rel_err=\(String(format: "%.2g", worstRelative))" : problems.joined(separator: "; ")
        return .checked(maxAbsError: worst, passed: problems.isEmpty, detail: detail)
    }
}

extension ParityFixture {
    /// The same fixture with only the expected outputs whose names pass `keep`.
    func filteringExpected(_ keep: (String) -> Bool) -> ParityFixture {
        ParityFixture(url: url, kind: kind, metadata: metadata,
                      tensors: tensors.filter { !$0.key.hasPrefix("out.") || keep(String($0.key.dropFirst(4))) }, json: json)
    }
}
