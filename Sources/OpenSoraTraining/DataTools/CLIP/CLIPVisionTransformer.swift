// Reference: transformers models/clip/modeling_clip.py (CLIPVisionEmbeddings, CLIPVisionTransformer);
// OpenAI clip/model.py (VisionTransformer). spec/tools.md §6.
import MLXTensor
import NN

/// Patch convolution (no bias), the learnt class token first, then absolute position embeddings.
public final class CLIPVisionEmbeddings: Module {
    @Parameter(key: "class_embedding") public var classEmbedding: Tensor
    @Child(key: "patch_embedding") public var patchEmbedding: Convolution
    @Child(key: "position_embedding") public var positionEmbedding: Embedding
    public let config: CLIPTowerConfig

    init(_ config: CLIPTowerConfig, key: RandomKey) {
        self.config = config
        let keys = key.split(into: 3), d = config.hiddenSize, p = config.patchSize
        super.init()
        classEmbedding = Tensor.normal([d], key: keys[0])
        patchEmbedding = Convolution(3, d, kernelSize: [p, p], stride: [p, p], bias: false, key: keys[1])
        positionEmbedding = Embedding(count: config.gridSide * config.gridSide + 1, dimensions: d, key: keys[2])
    }

    /// [B, 3, S, S] normalised pixels → [B, 1 + (S/p)², D].
    public func callAsFunction(_ pixels: Tensor) -> Tensor {
        let b = pixels.dim(0), d = config.hiddenSize
        let patches = patchEmbedding(pixels.transposed(0, 2, 3, 1)).reshaped(b, -1, d)
        let classToken = classEmbedding.reshaped(1, 1, d).broadcast(to: [b, 1, d])
        return Tensor.concatenate([classToken, patches], axis: 1) + positionEmbedding.weight.expandedDims(0)
    }
}

/// The image tower: embeddings → `pre_layrnorm` (sic, the checkpoint's spelling) → encoder →
/// `post_layernorm` of the class token.
public final class CLIPVisionTransformer: Module {
    public let embeddings: CLIPVisionEmbeddings
    @Child(key: "pre_layrnorm") public var preLayerNorm: LayerNorm
    public let encoder: CLIPEncoder
    @Child(key: "post_layernorm") public var postLayerNorm: LayerNorm
    public let config: CLIPTowerConfig

    init(_ config: CLIPTowerConfig, key: RandomKey) {
        self.config = config
        let keys = key.split(into: 2)
        embeddings = CLIPVisionEmbeddings(config, key: keys[0])
        encoder = CLIPEncoder(config, key: keys[1])
        super.init()
        preLayerNorm = LayerNorm(config.hiddenSize, eps: config.layerNormEps)
        postLayerNorm = LayerNorm(config.hiddenSize, eps: config.layerNormEps)
    }

    /// [B, 3, S, S] → the pooled (class-token) output [B, D].
    public func callAsFunction(_ pixels: Tensor) -> Tensor {
        if pixels.failure != nil { return pixels }
        let s = config.imageSize
        guard pixels.ndim == 4, pixels.dim(1) == 3, pixels.dim(2) == s, pixels.dim(3) == s else {
            return Tensor(failure: .shapeMismatch("[CLIPVisionTransformer] pixels \(pixels.shape) must be [B, 3, \(s), \(s)]"))
        }
        let hidden = encoder(preLayerNorm(embeddings(pixels)))
        return postLayerNorm(hidden[.all, 0])
    }
}
