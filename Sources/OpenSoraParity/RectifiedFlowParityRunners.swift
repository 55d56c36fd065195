// Reference: shared/fixtures/parity/README.md (rflow.timestep_transform, rflow.training_loss, rflow.sample).
import OpenSora
import Foundation
import MLXTensor

/// `rflow.timestep_transform`: one batched call, or a grid of calls (one row per geometry).
struct TimestepTransformRunner: ParityRunner {
    func run(_ f: ParityFixture) throws -> ParityResult {
        let config = try f.jsonMetadata("config")
        let scale = Float(config["scale"] as? Double ?? 1)
        let base = Float(config["base_resolution"] as? Double ?? 262_144)
        let baseFrames = Float(config["base_num_frames"] as? Double ?? 1)
        let steps = Float(config["num_timesteps"] as? Double ?? 1000)
        let t = try f.input("t").toArray(), h = try f.input("height").toArray(), w = try f.input("width").toArray()
        let n = try f.input("num_frames").toArray()
        /// Grid row: every t with the geometry of row `r`.
        func call(_ r: Int) -> [Float] {
            TimestepTransform.apply(t, height: Array(repeating: h[r], count: t.count), width: Array(repeating: w[r], count: t.count),
                                    numFrames: Array(repeating: n[r], count: t.count), scale: scale, baseResolution: base,
                                    baseFrames: baseFrames, timestepCount: steps)
        }
        let batched = f.expectedOutputs["new_t"]?.ndim == 1
        if batched {  // one call: sample i has geometry i
            return .tensors(["new_t": Tensor(TimestepTransform.apply(t, height: h, width: w, numFrames: n, scale: scale,
                                                                      baseResolution: base, baseFrames: baseFrames, timestepCount: steps))])
        }
        return .tensors(["new_t": Tensor(h.indices.flatMap(call), shape: [h.count, t.count])])
    }
}

/// Builds the fixture's small STDiT3 with its weights.
func fixtureModel(_ f: ParityFixture) throws -> STDiT3 {
    let config = try STDiT3Config.decode(json: Data((f.metadata["config"] ?? "{}").utf8))
    let model = try STDiT3(config, key: fixtureWeightsKey)
    try model.loadWeights(from: f.weights)
    return model
}

/// `rflow.training_loss`: given t and noise, the per-sample loss, x_t and the model output.
struct TrainingLossRunner: ParityRunner {
    func run(_ f: ParityFixture) throws -> ParityResult {
        let model = try fixtureModel(f)
        let height = try f.input("height")[0].item(), width = try f.input("width")[0].item()
        let (loss, xt, output) = try RectifiedFlow.trainingLoss(
            x0: try f.input("x_start"), noise: try f.input("noise"), t: try f.input("t"), frameMask: f.inputs["x_mask"]
        ) { xt, t, frameMask in
            try model(xt, timestep: t, caption: try f.input("y"), captionMask: f.inputs["mask"], frameMask: frameMask,
                      fps: try f.input("fps"), height: Double(height), width: Double(width))
        }
        return .tensors(["loss": loss, "x_t": xt, "model_output": output])
    }
}

/// `rflow.sample`: the whole sampler with guidance, the supplied noise and (optionally) the mask.
struct SamplerRunner: ParityRunner {
    func run(_ f: ParityFixture) throws -> ParityResult {
        let call = try f.jsonMetadata("call")
        let scheduler = call["scheduler"] as? [String: Any] ?? [:]
        let model = try fixtureModel(f)
        let sampler = RectifiedFlowSampler(stepCount: scheduler["num_sampling_steps"] as? Int ?? 10,
                                           guidanceScale: Float(scheduler["cfg_scale"] as? Double ?? 4),
                                           useTimestepTransform: scheduler["use_timestep_transform"] as? Bool ?? false)
        let height = try f.input("add.height").toArray(), width = try f.input("add.width").toArray()
        let geometry = RectifiedFlowSampler.Geometry(height: height, width: width, numFrames: try f.input("add.num_frames").toArray())
        let y = try f.input("y"), yNull = try f.input("y_null"), textMask = try f.input("mask_text")
        let guided = ClassifierFreeGuidance(model: model, caption: y, captionMask: textMask, nullCaption: yNull,
                                            fps: try f.input("add.fps"), height: Double(height[0]), width: Double(width[0]))
        var outputs = [String: Tensor](), timesteps = [[Float]]()
        let z = try sampler.sample(
            z: try f.input("z"), geometry: geometry, mask: f.inputs["mask"],
            noise: { f.inputs["noise.\($0)"] ?? Tensor(failure: .invalidArgument("fixture has no in.noise.\($0)")) },
            model: guided.callAsFunction,
            onStep: { step in
                timesteps.append(step.timesteps)
                outputs["z_in.\(step.index)"] = step.modelInput
                outputs["v_pred_cond.\(step.index)"] = step.velocityCond
                outputs["v_pred_uncond.\(step.index)"] = step.velocityUncond
                if let m = step.frameMask { outputs["x_mask.\(step.index)"] = m }
            })
        outputs["z"] = z
        outputs["timesteps"] = Tensor(timesteps.flatMap { $0 }, shape: [timesteps.count, timesteps.first?.count ?? 0])
        return .tensors(outputs)
    }
}
