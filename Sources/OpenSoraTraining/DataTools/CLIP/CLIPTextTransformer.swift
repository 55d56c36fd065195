// Reference: transformers models/clip/modeling_clip.py (CLIPTextEmbeddings, CLIPTextTransformer);
// OpenAI clip/model.py (CLIP.encode_text: causal mask, features at text.argmax(-1)). spec/tools.md §9.
import MLXTensor
import NN

/// Token plus absolute position embeddings.
public final class CLIPTextEmbeddings: Module {
    @Child(key: "token_embedding") public var tokenEmbedding: Embedding
    @Child(key: "position_embedding") public var positionEmbedding: Embedding

    init(_ config: CLIPTowerConfig, key: RandomKey) {
        let keys = key.split(into: 2)
        super.init()
        tokenEmbedding = Embedding(count: config.vocabSize, dimensions: config.hiddenSize, key: keys[0])
        positionEmbedding = Embedding(count: config.maxPositionEmbeddings, dimensions: config.hiddenSize, key: keys[1])
    }

    /// ids [B, L] → [B, L, D].
    public func callAsFunction(_ ids: Tensor) -> Tensor {
        let l = ids.dim(1)
        return tokenEmbedding(ids) + positionEmbedding.weight[0..<l].expandedDims(0)
    }
}

/// The text tower: embeddings → causal encoder → `final_layer_norm`, pooled at each row's end token.
public final class CLIPTextTransformer: Module {
    public let embeddings: CLIPTextEmbeddings
    public let encoder: CLIPEncoder
    @Child(key: "final_layer_norm") public var finalLayerNorm: LayerNorm
    public let config: CLIPTowerConfig

    init(_ config: CLIPTowerConfig, key: RandomKey) {
        self.config = config
        let keys = key.split(into: 2)
        embeddings = CLIPTextEmbeddings(config, key: keys[0])
        encoder = CLIPEncoder(config, key: keys[1])
        super.init()
        finalLayerNorm = LayerNorm(config.hiddenSize, eps: config.layerNormEps)
    }

    /// Token rows (equal lengths ≤ the context) → pooled features [B, D], each taken at the row's
    /// largest id: the end token, CLIP's last vocabulary entry, as OpenAI's `argmax` (and
    /// transformers for this checkpoint) picks it. Padding after it cannot reach it (causal mask).
    public func callAsFunction(_ rows: [[Int32]]) -> Tensor {
        guard let l = rows.first?.count, l > 0, l <= config.maxPositionEmbeddings, rows.allSatisfy({ $0.count == l }) else {
            return Tensor(failure: .shapeMismatch(
                "[CLIPTextTransformer] \(rows.count) token rows must share one length in 1…\(config.maxPositionEmbeddings)"))
        }
        let ids = Tensor(int32: rows.flatMap { $0 }, shape: [rows.count, l])
        let causal = (0..<l).flatMap { i in (0..<l).map { j in j > i ? -Float.infinity : 0 } }
        let hidden = finalLayerNorm(encoder(embeddings(ids), mask: Tensor(causal, shape: [l, l])))
        let ends = rows.map { row in Int32(row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) } ?? 0) }
        let flat = hidden.reshaped(rows.count * l, config.hiddenSize)
        let index = Tensor(int32: ends.enumerated().map { Int32($0.offset * l) + $0.element })
        return flat.take(index, axis: 0)
    }
}
