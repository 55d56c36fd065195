// Reference: opensora/models/layers/blocks.py@v1.2.0 (MultiHeadCrossAttention); spec/stdit3.md §5.10.
import MLXTensor
import NN

/// Image tokens attend to caption tokens (no norm, no gate). Each sample attends only to its own
/// valid caption tokens: keys are kept per sample, padded, with a boolean mask — the same sets as the
/// reference's packed block-diagonal attention.
public final class CrossAttention: Module {
    @Child(key: "q_linear") public var queryProjection: Linear
    @Child(key: "kv_linear") public var keyValueProjection: Linear
    public let proj: Linear
    public let headCount: Int

    public init(dimensions: Int, headCount: Int) {
        self.headCount = headCount
        proj = Linear(dimensions, dimensions)
        super.init()
        queryProjection = Linear(dimensions, dimensions)
        keyValueProjection = Linear(dimensions, 2 * dimensions)
    }

    /// `x` [B, N, C]; `condition` [B, L, C]; `mask` [B, L] (true/non-zero = valid token) or nil for all.
    public func callAsFunction(_ x: Tensor, condition: Tensor, mask: Tensor?) -> Tensor {
        if let mask, let valid = try? validTokens(mask) {
            // Only each sample's own valid tokens, as the reference packs them: no masked work at all.
            let b = x.dim(0)
            let outputs = (0..<b).map { i in
                attend(x[i..<(i + 1)], condition: condition[i..<(i + 1)].take(valid[i], axis: 1), mask: nil)
            }
            return b == 1 ? outputs[0] : Tensor.concatenate(outputs, axis: 0)
        }
        return attend(x, condition: condition, mask: mask)
    }

    /// Indices of the valid tokens of each sample (nil when a row has none: the masked path handles it).
    func validTokens(_ mask: Tensor) throws -> [Tensor]? {
        let l = mask.dim(1)
        let flags = try mask.asType(.float32).toArray()
        var rows = [Tensor]()
        for row in 0..<mask.dim(0) {
            let indices = (0..<l).filter { flags[row * l + $0] != 0 }.map(Int32.init)
            if indices.isEmpty { return nil }
            rows.append(Tensor(int32: indices))
        }
        return rows
    }

    func attend(_ x: Tensor, condition: Tensor, mask: Tensor?) -> Tensor {
        let (b, n, c) = (x.dim(0), x.dim(1), x.dim(2))
        let l = condition.dim(1), d = c / headCount
        let q = queryProjection(x).reshaped(b, n, headCount, d).transposed(0, 2, 1, 3)
        let kv = keyValueProjection(condition).reshaped(b, l, 2, headCount, d).transposed(2, 0, 3, 1, 4).split(parts: 2, axis: 0)
        let k = kv[0].squeezed([0]), v = kv[1].squeezed([0])
        let attend = mask.map { ($0.asType(.float32) .!= Tensor(0)).reshaped(b, 1, 1, l) }
        let o = scaledDotProductAttention(queries: q, keys: k, values: v, scale: 1 / Float(d).squareRoot(), mask: attend)
        return proj(o.transposed(0, 2, 1, 3).reshaped(b, n, c))
    }

    /// The reference's packed form: `condition` [1, ΣL, C] split by `lengths` (one per sample);
    /// nil lengths = every query attends to every key of every sample (the layer called with mask=None).
    public func callAsFunction(_ x: Tensor, packedCondition: Tensor, lengths: [Int]?) -> Tensor {
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
