// Reference: opensora/models/layers/blocks.py@v1.2.0 (CaptionEmbedder); spec/stdit3.md §5.5, §8.
import MLXTensor
import NN

/// Projects T5 features to the hidden size (`y_proj`: fc1 → tanh-GELU → fc2) and holds the learned
/// null caption `y_embedding` [tokens, caption channels], a persistent buffer used for classifier-free
/// guidance and caption dropout.
public final class CaptionEmbedder: Module {
    @Parameter(key: "y_embedding", buffer: true) public var nullCaption: Tensor
    @Child(key: "y_proj") public var projection: FeedForward
    public let dropProbability: Float

    /// `y_embedding` is drawn `randn(L, Ccap)/√Ccap` as the reference's CaptionEmbedder registers it.
    public init(captionChannels: Int, hiddenSize: Int, tokenCount: Int, dropProbability: Float, key: RandomKey) {
        self.dropProbability = dropProbability
        let keys = key.split(into: 2)
        super.init()
        nullCaption = Tensor.normal([tokenCount, captionChannels], key: keys[0]) / Float(captionChannels).squareRoot()
        projection = FeedForward(inputDimensions: captionChannels, hiddenDimensions: hiddenSize, outputDimensions: hiddenSize,
                                 key: keys[1])
    }

    /// `caption` [B, 1, L, Ccap] → [B, 1, L, C]. Rows where `drop` [B] is true use the null caption
    /// instead (the text mask is left unchanged by the reference).
    public func callAsFunction(_ caption: Tensor, drop: Tensor? = nil) -> Tensor {
        if caption.failure != nil { return caption }
        var y = caption
        if let drop {
            y = Tensor.where(drop.asType(.bool).reshaped(-1, 1, 1, 1), nullCaption.asType(caption.dtype), caption)
        }
        return projection(y)
    }

    /// Training-time dropout: each sample's caption is replaced with probability `dropProbability`.
    public func dropMask(batch: Int, key: RandomKey) -> Tensor {
        Tensor.bernoulli(Tensor(dropProbability), shape: [batch], key: key)
    }
}
