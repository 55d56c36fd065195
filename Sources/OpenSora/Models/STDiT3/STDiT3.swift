// Reference: opensora/models/stdit/stdit3.py@v1.2.0 (STDiT3); spec/stdit3.md §3, §5.
import Foundation
import MLXTensor
import NN

/// Open-Sora 1.2's video diffusion transformer: patch embedding + 2-D position embedding, timestep
/// and fps conditioning (adaLN-single), caption cross-attention, alternating spatial and temporal
/// blocks, final layer, unpatchify. Parameter paths equal the official state_dict names.
public final class STDiT3: Module {
    // Declared in the reference's registration order, so the state_dict order matches too.
    public let rope: RotaryEmbedding
    @Child(key: "x_embedder") public var patchEmbedder: PatchEmbed3D
    @Child(key: "t_embedder") public var timestepEmbedder: TimestepEmbedder
    @Child(key: "fps_embedder") public var fpsEmbedder: SizeEmbedder
    @Child(key: "t_block") public var timestepModulation: Sequential
    @Child(key: "y_embedder") public var captionEmbedder: CaptionEmbedder
    @Child(key: "spatial_blocks") public var spatialBlocks: [STDiT3Block]
    @Child(key: "temporal_blocks") public var temporalBlocks: [STDiT3Block]
    @Child(key: "final_layer") public var finalLayer: FinalLayer

    public let config: STDiT3Config
    /// Recompute each block's activations in the backward pass instead of keeping them (the
    /// reference's `grad_checkpoint=True`); no effect outside a gradient trace.
    public var gradientCheckpointing = false
    /// Ulysses sequence parallelism (spec/parallelism.md §3): every rank runs the whole model on
    /// the same inputs but the blocks on 1/p of each frame's tokens; the output is gathered.
    public var sequenceParallel: ParallelGroup = .single {
        didSet { for block in spatialBlocks { block.attention.sequenceParallel = sequenceParallel } }
    }
    private var positionCache = [String: Tensor]()

    /// Parameters as the reference's constructors draw them, before `initialize_weights` (see
    /// `initializeWeights(key:)`, which training from scratch calls next).
    public init(_ config: STDiT3Config, key: RandomKey) throws {
        try config.validate()
        self.config = config
        let c = config.hiddenSize
        rope = RotaryEmbedding(dimensions: config.headDimension)
        super.init()
        // Keys: one per block (spatial, then temporal), the final layer, then five for the embedders.
        let keys = key.split(into: 2 * config.depth + 6)
        let k = Array(keys.suffix(5))
        patchEmbedder = PatchEmbed3D(patchSize: config.patchSize, inChannels: config.inChannels, hiddenSize: c, key: k[0])
        timestepEmbedder = TimestepEmbedder(hiddenSize: c, key: k[1])
        fpsEmbedder = SizeEmbedder(hiddenSize: c, key: k[2])
        timestepModulation = Sequential([SiLU(), Linear(c, 6 * c, key: k[3])])
        captionEmbedder = CaptionEmbedder(captionChannels: config.captionChannels, hiddenSize: c,
                                          tokenCount: config.modelMaxLength,
                                          dropProbability: Float(config.classDropoutProbability), key: k[4])
        spatialBlocks = (0..<config.depth).map {
            STDiT3Block(hiddenSize: c, headCount: config.headCount, mlpHiddenSize: config.mlpHiddenSize,
                        qkNorm: config.qkNorm, axis: .spatial, rope: nil, key: keys[$0])
        }
        temporalBlocks = (0..<config.depth).map {
            STDiT3Block(hiddenSize: c, headCount: config.headCount, mlpHiddenSize: config.mlpHiddenSize,
                        qkNorm: config.qkNorm, axis: .temporal, rope: rope, key: keys[config.depth + $0])
        }
        finalLayer = FinalLayer(hiddenSize: c, patchVolume: config.patchSize.reduce(1, *), outChannels: config.outChannels,
                                key: keys[2 * config.depth])
        if config.freezeCaptionEmbedder { frozenPrefixes.append("y_embedder.") }
        if config.onlyTrainTemporal {
            frozenPrefixes = namedParameters().map(\.0).filter { !$0.hasPrefix("temporal_blocks.") }
        }
    }

    /// The learned null caption [1, 1, L, Ccap] for classifier-free guidance's unconditional rows.
    public var nullCaption: Tensor { captionEmbedder.nullCaption.expandedDims(0).expandedDims(0) }

    /// The velocity (first `inChannels` channels) and sigma prediction, [B, 2·Cin, T, H, W] float32.
    ///
    /// - `x` [B, Cin, T, H, W] latents; `timestep` [B] in [0, 1000];
    /// - `caption` [B, 1, L, Ccap] T5 features; `captionMask` [B', L] (non-zero = valid), B' dividing B,
    ///   tiled for the CFG batch; nil uses all L tokens;
    /// - `frameMask` [B, T] bool (false = conditioning frame, modulated as t = 0);
    /// - `fps` [B'] (B' dividing B); `height`/`width` the target video's pixel size (the position
    ///   embedding's scale; the reference reads the first batch element only);
    /// - `captionDrop` [B] bool replaces those captions with the null caption (training dropout).
    public func callAsFunction(
        _ x: Tensor, timestep: Tensor, caption: Tensor, captionMask: Tensor? = nil, frameMask: Tensor? = nil,
        fps: Tensor, height: Double, width: Double, captionDrop: Tensor? = nil
    ) throws -> Tensor {
        try validate(x: x, timestep: timestep, caption: caption, captionMask: captionMask, frameMask: frameMask, fps: fps,
                     height: height, width: width)
        let dtype = patchEmbedder.proj.weight.dtype
        let b = x.dim(0), (tx, hx, wx) = (x.dim(2), x.dim(3), x.dim(4))
        let grid = patchEmbedder.gridSize(frames: tx, height: hx, width: wx)
        let s = grid.h * grid.w

        // Timestep + fps conditioning (the timestep is cast to the model dtype first, spec pitfall 2).
        let fpsEmbedding = fpsEmbedder(fps, batch: b)
        let t = timestepEmbedder(timestep.asType(dtype)) + fpsEmbedding
        // Conditioning frames are modulated as t = 0 (the final layer reads the same t0 embedding).
        let t0 = frameMask.map { _ in timestepEmbedder(Tensor.zeros([b], dtype: dtype)) + fpsEmbedding }
        var zero: (t0: Tensor, frameMask: Tensor)? = nil
        if let frameMask, let t0 { zero = (timestepModulation(t0), frameMask) }
        let conditioning = BlockConditioning(t: timestepModulation(t), zero: zero)

        // Caption: project, keep per-sample tokens with the (tiled) mask.
        let l = caption.dim(2)
        let y = captionEmbedder(caption.asType(dtype), drop: captionDrop).reshaped(b, l, config.hiddenSize)
        let mask = captionMask.map { $0.dim(0) == b ? $0 : $0.tiled([b / $0.dim(0), 1]) }
        let captionTokens = CaptionTokens(y, mask: mask)

        // Tokens + position embedding (same for every frame).
        let position = positionEmbedding(height: grid.h, width: grid.w, pixelHeight: height, pixelWidth: width).asType(dtype)
        var h = patchEmbedder(x.asType(dtype))
        h = h.reshaped(b, grid.t, s, config.hiddenSize) + position.expandedDims(0)

        // Each sequence-parallel rank keeps its 1/p of every frame's tokens through the blocks.
        let sp = sequenceParallel, local = s / sp.size
        h = sp.splitForwardGatherBackward(h, axis: 2, gradientScale: .down).reshaped(b, grid.t * local, config.hiddenSize)
        for (spatial, temporal) in zip(spatialBlocks, temporalBlocks) {
            for block in [spatial, temporal] {
                h = try run(block, h, caption: captionTokens, conditioning: conditioning, frames: grid.t, tokensPerFrame: local)
            }
        }
        h = sp.gatherForwardSplitBackward(h.reshaped(b, grid.t, local, config.hiddenSize), axis: 2, gradientScale: .up)
            .reshaped(b, grid.t * s, config.hiddenSize)
        let out = finalLayer(h, t: t, t0: t0, frameMask: frameMask, frames: grid.t, tokensPerFrame: s)
        return try unpatchify(out, grid: grid, frames: tx, height: hx, width: wx).asType(.float32).checked()
    }

    /// One block call, recomputed in the backward pass under `gradientCheckpointing`. The caption
    /// tokens and the t_block outputs come from trainable layers outside the block, so they are the
    /// checkpoint's explicit inputs beside `x` (captured, their gradients would be lost).
    func run(_ block: STDiT3Block, _ x: Tensor, caption: CaptionTokens, conditioning: BlockConditioning,
             frames: Int, tokensPerFrame: Int) throws -> Tensor {
        guard gradientCheckpointing else {
            return block(x, caption: caption, conditioning: conditioning, frames: frames, tokensPerFrame: tokensPerFrame)
        }
        let frameMask = conditioning.zero?.frameMask
        let inputs = [x, caption.tokens, conditioning.t] + (conditioning.zero.map { [$0.t0] } ?? [])
        return try block.recomputingActivations(inputs) { [unowned block] ins in
            let c = BlockConditioning(t: ins[2], zero: frameMask.map { (t0: ins[3], frameMask: $0) })
            return [block(ins[0], caption: caption.replacingTokens(ins[1]), conditioning: c, frames: frames,
                          tokensPerFrame: tokensPerFrame)]
        }[0]
    }

    /// [B, N, pt·ph·pw·Cout] with features ordered (dt, dh, dw, c) → [B, Cout, T, H, W], cropped.
    func unpatchify(_ x: Tensor, grid: (t: Int, h: Int, w: Int), frames: Int, height: Int, width: Int) throws -> Tensor {
        let p = config.patchSize, co = config.outChannels, b = x.dim(0)
        let full = x.reshaped([b, grid.t, grid.h, grid.w, p[0], p[1], p[2], co])
            .transposed(0, 7, 1, 4, 2, 5, 3, 6)
            .reshaped(b, co, grid.t * p[0], grid.h * p[1], grid.w * p[2])
        return full[.all, .all, 0..<frames, 0..<height, 0..<width]
    }

    /// The 2-D sin-cos embedding for a patch grid: scale = √(height·width)/input_sq_size from the
    /// pixel size, base size = round(√S) on the padded grid (spec §5.3). Cached per size.
    public func positionEmbedding(height h: Int, width w: Int, pixelHeight: Double, pixelWidth: Double) -> Tensor {
        let scale = (pixelHeight * pixelWidth).squareRoot() / Double(config.inputSquareSize)
        let baseSize = Int(Double(h * w).squareRoot().rounded(.toNearestOrEven))
        let cacheKey = "\(h)x\(w)@\(scale)/\(baseSize)"
        if let cached = positionCache[cacheKey] { return cached }
        let e = PositionEmbedding2D.embedding(dimensions: config.hiddenSize, height: h, width: w, scale: scale, baseSize: baseSize)
            .reshaped(h * w, config.hiddenSize)
        positionCache[cacheKey] = e
        return e
    }

    func validate(x: Tensor, timestep: Tensor, caption: Tensor, captionMask: Tensor?, frameMask: Tensor?, fps: Tensor,
                  height: Double, width: Double) throws {
        func bad(_ m: String) -> OpenSoraError { .invalidInput("STDiT3: \(m)") }
        for t in [x, timestep, caption, fps] + [captionMask, frameMask].compactMap({ $0 }) { try t.checked() }
        guard x.ndim == 5, x.dim(1) == config.inChannels, x.shape.allSatisfy({ $0 > 0 }) else {
            throw bad("x has shape \(x.shape); expected [B, \(config.inChannels), T, H, W] with every size positive")
        }
        let b = x.dim(0)
        guard timestep.count == b else { throw bad("timestep has \(timestep.count) values for batch \(b)") }
        guard caption.ndim == 4, caption.dim(0) == b, caption.dim(1) == 1, caption.dim(3) == config.captionChannels else {
            throw bad("caption has shape \(caption.shape); expected [\(b), 1, L, \(config.captionChannels)]")
        }
        if let m = captionMask {
            guard m.ndim == 2, m.dim(1) == caption.dim(2), m.dim(0) > 0, b % m.dim(0) == 0 else {
                throw bad("caption mask has shape \(m.shape); expected [B', \(caption.dim(2))] with B' dividing \(b)")
            }
        }
        if let m = frameMask {
            guard m.shape == [b, x.dim(2)] else { throw bad("frame mask has shape \(m.shape); expected [\(b), \(x.dim(2))]") }
        }
        guard fps.count > 0, b % fps.count == 0 else { throw bad("fps has \(fps.count) values; it must divide batch \(b)") }
        guard height > 0, width > 0, height.isFinite, width.isFinite else {
            throw bad("pixel height \(height) / width \(width) must be positive")
        }
        let p = sequenceParallel.size
        if p > 1 {
            let g = patchEmbedder.gridSize(frames: x.dim(2), height: x.dim(3), width: x.dim(4))
            guard (g.h * g.w) % p == 0, config.headCount % p == 0 else {
                throw bad("sequence parallelism over \(p) ranks needs the \(g.h)×\(g.w) = \(g.h * g.w) tokens per frame and the "
                          + "\(config.headCount) heads to divide by \(p) (choose a size whose patch grid does, e.g. 240p at 1:1: 20×20)")
            }
        }
    }
}
