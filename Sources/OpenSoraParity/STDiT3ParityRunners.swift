// Reference: shared/fixtures/parity/README.md (stdit3.forward, stdit3.layers).
import OpenSora
import Foundation
import MLXTensor
import NN

/// Seeds the initial draws of modules whose every weight is then loaded from a fixture.
let fixtureWeightsKey = RandomKey(seed: 0)

/// `stdit3.forward`: the whole model built from the fixture's config, weights loaded strictly.
struct STDiT3ForwardRunner: ParityRunner {
    func run(_ f: ParityFixture) throws -> ParityResult {
        let config = try STDiT3Config.decode(json: Data((f.metadata["config"] ?? "{}").utf8))
        let model = try STDiT3(config, key: fixtureWeightsKey)
        try model.loadWeights(from: f.weights)
        let inputs = f.inputs
        let height = try f.input("height")[0].item(), width = try f.input("width")[0].item()
        let out = try model(try f.input("x"), timestep: try f.input("timestep"), caption: try f.input("y"),
                            captionMask: inputs["mask"], frameMask: inputs["x_mask"], fps: try f.input("fps"),
                            height: Double(height), width: Double(width))
        return .tensors(["x": out])
    }
}

/// `stdit3.layers`: one piece of STDiT3 per case, chosen by the case name.
struct STDiT3LayersRunner: ParityRunner {
    func run(_ f: ParityFixture) throws -> ParityResult {
        let config = try f.jsonMetadata("config"), call = try f.jsonMetadata("call")
        let caseName = f.url.deletingPathExtension().lastPathComponent.components(separatedBy: "__").last ?? ""
        func int(_ d: [String: Any], _ k: String) throws -> Int {
            guard let v = d[k] as? Int else { throw ParityError.malformed(f.name, "no integer '\(k)'") }
            return v
        }
        func load(_ m: Module) throws { try m.loadWeights(from: f.weights) }
        func rope(headDimension: Int) throws -> RotaryEmbedding? {
            guard let freqs = f.inputs["rope_freqs"] else { return nil }
            let r = RotaryEmbedding(dimensions: headDimension)
            try r.update(parameters: ["freqs": freqs])
            return r
        }
        func lengths() -> [Int]? { (call["mask"] as? [Int]) }

        // Cases are named `<piece>` or `<piece>_<variant>`; the piece decides what runs.
        let pieces = ["timestep_embedder", "size_embedder", "pos_embed_2d", "rope_T", "t2i_modulate", "caption_embedder",
                      "attention_qknorm", "cross_attention", "final_layer", "block_"]
        guard let piece = pieces.first(where: { caseName.hasPrefix($0) }) else {
            throw ParityError.malformed(f.name, "stdit3.layers case '\(caseName)' is not known (pieces: \(pieces.joined(separator: ", ")))")
        }
        switch piece {
        case "timestep_embedder":
            let m = TimestepEmbedder(hiddenSize: try int(config, "hidden_size"), frequencyDimensions: try int(config, "frequency_embedding_size"),
                                     key: fixtureWeightsKey)
            try load(m)
            let t = try f.input("t")
            return .tensors(["t_freq": frequencyEmbedding(t, dimensions: m.frequencyDimensions), "emb": m(t)])
        case "size_embedder":
            let m = SizeEmbedder(hiddenSize: try int(config, "hidden_size"), frequencyDimensions: try int(config, "frequency_embedding_size"),
                                     key: fixtureWeightsKey)
            try load(m)
            return .tensors(["emb": m(try f.input("s"), batch: try int(call, "bs"))])
        case "pos_embed_2d":
            let scale = try (call["scale"] as? Double) ?? Double(int(call, "scale"))
            let e = PositionEmbedding2D.embedding(dimensions: try int(config, "dim"), height: try int(call, "h"),
                                                  width: try int(call, "w"), scale: scale, baseSize: call["base_size"] as? Int)
            return .tensors(["emb": e])
        case "rope_T":
            let r = RotaryEmbedding(dimensions: try int(config, "dim"))
            try load(r)
            return .tensors(["t": r(try f.input("t"))])
        case "t2i_modulate":
            let x = try f.input("x")
            return .tensors(["out": x.modulated(shift: try f.input("shift"), scale: try f.input("scale"))])
        case "caption_embedder":
            let m = CaptionEmbedder(captionChannels: try int(config, "in_channels"), hiddenSize: try int(config, "hidden_size"),
                                    tokenCount: try int(config, "token_num"), dropProbability: 0.1, key: fixtureWeightsKey)
            try load(m)
            let drop = f.inputs["force_drop_ids"].map { $0 .== Tensor(1, dtype: $0.dtype) }
            return .tensors(["out": m(try f.input("caption"), drop: drop)])
        case "attention_qknorm":
            let dim = try int(config, "dim"), heads = try int(config, "num_heads")
            let m = SelfAttention(dimensions: dim, headCount: heads, qkNorm: config["qk_norm"] as? Bool ?? true,
                                  rope: try rope(headDimension: dim / heads), key: fixtureWeightsKey)
            try load(m)
            return .tensors(["out": m(try f.input("x"))])
        case "cross_attention":
            let m = CrossAttention(dimensions: try int(config, "d_model"), headCount: try int(config, "num_heads"), key: fixtureWeightsKey)
            try load(m)
            return .tensors(["out": m(try f.input("x"), packedCondition: try f.input("cond"), lengths: lengths())])
        case "final_layer":
            let m = FinalLayer(hiddenSize: try int(config, "hidden_size"), patchVolume: try int(config, "num_patch"),
                               outChannels: try int(config, "out_channels"), key: fixtureWeightsKey)
            try load(m)
            let out = m(try f.input("x"), t: try f.input("t"), t0: f.inputs["t0"], frameMask: f.inputs["x_mask"],
                        frames: try int(call, "T"), tokensPerFrame: try int(call, "S"))
            return .tensors(["out": out])
        case "block_":
            let hidden = try int(config, "hidden_size"), heads = try int(config, "num_heads")
            let temporal = config["temporal"] as? Bool ?? false
            let mlpRatio = config["mlp_ratio"] as? Double ?? 4
            let block = STDiT3Block(hiddenSize: hidden, headCount: heads, mlpHiddenSize: Int(Double(hidden) * mlpRatio),
                                    qkNorm: config["qk_norm"] as? Bool ?? true, axis: temporal ? .temporal : .spatial,
                                    rope: try rope(headDimension: hidden / heads), key: fixtureWeightsKey)
            try load(block)
            guard let lens = lengths() else { throw ParityError.malformed(f.name, "call.mask (caption lengths) missing") }
            let (caption, mask) = CrossAttention.unpack(try f.input("y"), lengths: lens)
            var zero: (t0: Tensor, frameMask: Tensor)? = nil
            if let t0 = f.inputs["t0"], let xMask = f.inputs["x_mask"] { zero = (t0, xMask) }
            let out = block(try f.input("x"), caption: CaptionTokens(caption, mask: mask),
                            conditioning: BlockConditioning(t: try f.input("t"), zero: zero),
                            frames: try int(call, "T"), tokensPerFrame: try int(call, "S"))
            return .tensors(["out": out])
        default:
            throw ParityError.malformed(f.name, "stdit3.layers piece '\(piece)' has no runner")
        }
    }
}
