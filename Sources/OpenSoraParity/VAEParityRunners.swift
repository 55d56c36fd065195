// Reference: shared/fixtures/parity/README.md (vae_spatial.*, vae_temporal.*, vae_pipeline.*).
import OpenSora
import Foundation
import MLXTensor
import NN

/// The VideoVAEConfig of a pipeline fixture's `config` (vae_2d, vae_temporal, micro_frame_size, shift, scale).
func videoVAEConfig(_ config: [String: Any], fixture: String) throws -> VideoVAEConfig {
    let vae2d = config["vae_2d"] as? [String: Any] ?? [:]
    var c = VideoVAEConfig()
    c.spatial = try decodeConfig(SpatialVAEConfig.self, vae2d["AutoencoderKL_config"], fixture: fixture)
    c.temporal = try decodeConfig(TemporalVAEConfig.self, config["vae_temporal"], fixture: fixture)
    c.microBatchSize = vae2d["micro_batch_size"] as? Int
    c.microFrameSize = config["micro_frame_size"] as? Int
    func floats(_ v: Any?, _ d: Float) -> [Float] {
        if let list = v as? [Double] { return list.map(Float.init) }
        if let one = v as? Double { return [Float(one)] }
        return [d]
    }
    c.shift = floats(config["shift"], 0)
    c.scale = floats(config["scale"], 1)
    return c
}

struct SpatialVAERunner: ParityRunner {
    let decode: Bool

    func run(_ f: ParityFixture) throws -> ParityResult {
        let config = try f.jsonMetadata("config"), call = try f.jsonMetadata("call")
        let c = try decodeConfig(SpatialVAEConfig.self, config["AutoencoderKL_config"], fixture: f.name)
        let vae = try VideoAutoencoderKL(c, microBatchSize: call["micro_batch_size"] as? Int, key: fixtureWeightsKey)
        try vae.loadWeights(from: f.weights)
        if decode { return .tensors(["x": try vae.decode(try f.input("z"))]) }
        let x = try f.input("x")
        let posterior = try vae.posterior(x)
        return .tensors([
            "z": posterior.sample(noise: try f.input("noise")) * vae.scalingFactor, "z_mode": posterior.mean * vae.scalingFactor,
            "posterior_mean": posterior.mean, "posterior_std": posterior.std,
        ])
    }
}

struct TemporalVAERunner: ParityRunner {
    let decode: Bool

    func run(_ f: ParityFixture) throws -> ParityResult {
        let config = try f.jsonMetadata("config"), call = try f.jsonMetadata("call")
        let vae = try TemporalVAE(try decodeConfig(TemporalVAEConfig.self, config, fixture: f.name), key: fixtureWeightsKey)
        try vae.loadWeights(from: f.weights)
        if decode {
            guard let frames = call["num_frames"] as? Int else { throw ParityError.malformed(f.name, "call.num_frames missing") }
            return .tensors(["x": vae.decode(try f.input("z"), numFrames: frames)])
        }
        let p = vae.encode(try f.input("x"))
        return .tensors(["mean": p.mean, "logvar": p.logvar, "std": p.std, "z": p.sample(noise: try f.input("noise"))])
    }
}

struct VideoVAERunner: ParityRunner {
    let decode: Bool

    func run(_ f: ParityFixture) throws -> ParityResult {
        let config = try f.jsonMetadata("config"), call = try f.jsonMetadata("call")
        let vae = try VideoVAE(try videoVAEConfig(config, fixture: f.name), key: fixtureWeightsKey)
        try vae.loadWeights(from: f.weights)
        if decode {
            guard let frames = call["num_frames"] as? Int else { throw ParityError.malformed(f.name, "call.num_frames missing") }
            return .tensors(["x": try vae.decode(try f.input("z"), numFrames: frames)])
        }
        let x = try f.input("x"), ns = try f.input("noise_spatial"), nt = try f.input("noise_temporal")
        return .tensors([
            "z": try vae.encode(x, spatialNoise: ns, temporalNoise: nt),
            "z_mode": try vae.encode(x, spatialNoise: Tensor.zeros(like: ns), temporalNoise: Tensor.zeros(like: nt)),
        ])
    }
}
