// Reference: opensora/models/layers/blocks.py@v1.2.0 (MultiHeadCrossAttention); spec/stdit3.md §5.10.
import MLXTensor
import NN

/// The caption as cross-attention reads it: the padded tokens [B, L, C] with their mask [B, L], and —
/// gathered once, since the mask is read on the host — each sample's valid tokens [1, L_b, C]
/// (nil without a mask, or when some sample has no valid token: the masked path handles that).
public struct CaptionTokens {
    public let tokens: Tensor
    public let mask: Tensor?
    public let perSample: [Tensor]?
    /// Each sample's valid token positions, read from the mask once (nil when `perSample` is).
    private let validPositions: [Tensor]?

    public init(_ tokens: Tensor, mask: Tensor?) {
        self.tokens = tokens
        self.mask = mask
        validPositions = mask.flatMap { m in
            guard let flags = try? m.asType(.float32).toArray() else { return nil }
            let l = m.dim(1)
            var rows = [Tensor]()
            for b in 0..<m.dim(0) {
                let valid = (0..<l).filter { flags[b * l + $0] != 0 }.map(Int32.init)
                if valid.isEmpty { return nil }
                rows.append(Tensor(int32: valid))
            }
            return rows
        }
        perSample = CaptionTokens.gather(tokens, validPositions)
    }

    private init(_ tokens: Tensor, mask: Tensor?, validPositions: [Tensor]?) {
        self.tokens = tokens
        self.mask = mask
        self.validPositions = validPositions
        perSample = CaptionTokens.gather(tokens, validPositions)
    }

    /// The same caption layout over other token values [B, L, C] (a recomputed block's traced copy):
    /// the mask is not read again.
    public func replacingTokens(_ tokens: Tensor) -> CaptionTokens {
        CaptionTokens(tokens, mask: mask, validPositions: validPositions)
    }

    private static func gather(_ tokens: Tensor, _ positions: [Tensor]?) -> [Tensor]? {
        positions?.enumerated().map { b, p in tokens[b..<(b + 1)].take(p, axis: 1) }
    }
}

/// Image tokens attend to caption tokens (no norm, no gate). Each sample attends only to its own
/// valid caption tokens: keys are kept per sample, padded, with a boolean mask — the same sets as the
/// reference's packed block-diagonal attention.
public final class CrossAttention: Module {
    @Child(key: "q_linear") public var queryProjection: Linear
    @Child(key: "kv_linear") public var keyValueProjection: Linear
    public let proj: Linear
    public let headCount: Int

    public init(dimensions: Int, headCount: Int, key: RandomKey) {
        self.headCount = headCount
        let keys = key.split(into: 3)
        proj = Linear(dimensions, dimensions, key: keys[2])
        super.init()
        queryProjection = Linear(dimensions, dimensions, key: keys[0])
        keyValueProjection = Linear(dimensions, 2 * dimensions, key: keys[1])
    }

    /// `x` [B, N, C]; `condition` [B, L, C]; `mask` [B, L] (true/non-zero = valid token) or nil for all.
    public func callAsFunction(_ x: Tensor, condition: Tensor, mask: Tensor?) -> Tensor {
        self(x, caption: CaptionTokens(condition, mask: mask))
    }

    /// Cross-attention to a caption prepared once per forward pass (shared by every block).
    public func callAsFunction(_ x: Tensor, caption: CaptionTokens) -> Tensor {
        if x.failure != nil { return x }
        guard let perSample = caption.perSample else { return attend(x, condition: caption.tokens, mask: caption.mask) }
        // Only each sample's own valid tokens, as the reference packs them: no masked work at all.
        let outputs = perSample.enumerated().map { i, tokens in attend(x[i..<(i + 1)], condition: tokens, mask: nil) }
        return outputs.count == 1 ? outputs[0] : Tensor.concatenate(outputs, axis: 0)
    }

    func attend(_ x: Tensor, condition: Tensor, mask: Tensor?) -> Tensor {
        if x.failure != nil { return x }
        if condition.failure != nil { return condition }
        let (b, n, c) = (x.dim(0), x.dim(1), x.dim(2))
        let l = condition.dim(1), d = c / headCount
        let q = queryProjection(x).reshaped(b, n, headCount, d).transposedContiguous(0, 2, 1, 3)
        let kv = keyValueProjection(condition).reshaped(b, l, 2, headCount, d).transposedContiguous(2, 0, 3, 1, 4).split(parts: 2, axis: 0)
        let k = kv[0].squeezed([0]), v = kv[1].squeezed([0])
        let attend = mask.map { ($0.asType(.float32) .!= Tensor(0)).reshaped(b, 1, 1, l) }
        let o = scaledDotProductAttention(queries: q, keys: k, values: v, scale: 1 / Float(d).squareRoot(), mask: attend)
        return proj(o.transposedContiguous(0, 2, 1, 3).reshaped(b, n, c))
    }

    /// The reference's packed form: `condition` [1, ΣL, C] split by `lengths` (one per sample);
    /// nil lengths = every query attends to every key of every sample (the layer called with mask=None).
    public func callAsFunction(_ x: Tensor, packedCondition: Tensor, lengths: [Int]?) -> Tensor {
        if x.failure != nil { return x }
        if packedCondition.failure != nil { return packedCondition }
        let b = x.dim(0)
        guard let lengths else {
            let all = packedCondition.broadcast(to: [b] + Array(packedCondition.shape.dropFirst()))
            return self(x, condition: all, mask: nil)
        }
        guard lengths.count == b, lengths.reduce(0, +) == packedCondition.dim(1) else {
            return Tensor(failure: .shapeMismatch(
                "[cross_attn] lengths \(lengths) must give one length per sample (batch \(b)) summing to \(packedCondition.dim(1))"))
        }
        let (condition, mask) = CrossAttention.unpack(packedCondition, lengths: lengths)
        return self(x, condition: condition, mask: mask)
    }

    /// [1, ΣL, C] packed per-sample tokens → padded [B, max L, C] and the validity mask [B, max L].
    public static func unpack(_ packed: Tensor, lengths: [Int]) -> (condition: Tensor, mask: Tensor) {
        let longest = lengths.max() ?? 0
        var offset = 0, rows = [Tensor](), masks = [Bool]()
        for len in lengths {
            rows.append(packed[0, offset..<(offset + len)].padded([(0, longest - len)]))
            masks += Array(repeating: true, count: len) + Array(repeating: false, count: longest - len)
            offset += len
        }
        return (Tensor.stack(rows), Tensor(masks, shape: [lengths.count, longest]))
    }
}
