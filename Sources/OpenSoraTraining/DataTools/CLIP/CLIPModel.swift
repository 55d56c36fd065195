// Reference: transformers models/clip/modeling_clip.py (CLIPModel.get_image_features,
// get_text_features, logit_scale); OpenAI clip/model.py (CLIP). spec/tools.md §6, §9.
import Foundation
import MLXTensor
import NN
import OpenSora

/// CLIP's two towers, their projections into the shared space and the learnt temperature, with
/// Hugging Face `CLIPModel` parameter paths (`vision_model.…`, `visual_projection.weight`, `logit_scale`).
public final class CLIPModel: Module {
    @Child(key: "vision_model") public var visionModel: CLIPVisionTransformer
    @Child(key: "text_model") public var textModel: CLIPTextTransformer
    @Child(key: "visual_projection") public var visualProjection: Linear
    @Child(key: "text_projection") public var textProjection: Linear
    @Parameter(key: "logit_scale") public var logitScale: Tensor
    public let config: CLIPConfig

    /// Random weights from `key` (tests); real use loads a folder (`CLIPModel.load`).
    public init(_ config: CLIPConfig = .vitL14, key: RandomKey) throws {
        try config.validate()
        self.config = config
        let keys = key.split(into: 4)
        super.init()
        visionModel = CLIPVisionTransformer(config.vision, key: keys[0])
        textModel = CLIPTextTransformer(config.text, key: keys[1])
        visualProjection = Linear(config.vision.hiddenSize, config.projectionDim, bias: false, key: keys[2])
        textProjection = Linear(config.text.hiddenSize, config.projectionDim, bias: false, key: keys[3])
        logitScale = Tensor([Float(log(100.0))]).reshaped([])  // a 0-d parameter, as nn.Parameter(torch.tensor(…))
        eval()
    }

    /// Image embeddings [B, projection] (not normalised) of preprocessed pixels [B, 3, S, S].
    public func imageEmbeddings(_ pixels: Tensor) -> Tensor { visualProjection(visionModel(pixels)) }

    /// Text embeddings [B, projection] (not normalised) of token rows (`CLIPTokenizer.encode`).
    public func textEmbeddings(_ rows: [[Int32]]) -> Tensor { textProjection(textModel(rows)) }

    /// Rows scaled to unit L2 norm.
    public static func normalized(_ x: Tensor) -> Tensor { x / x.square().sum(axes: [-1], keepDims: true).sqrt() }

    /// `logit_scale.exp() · cos(image, text)`, [images, texts] (= 100·cos for OpenAI CLIP).
    public func logits(imageEmbeddings image: Tensor, textEmbeddings text: Tensor) -> Tensor {
        logitScale.exp() * Self.normalized(image).matmul(Self.normalized(text).T)
    }
}
