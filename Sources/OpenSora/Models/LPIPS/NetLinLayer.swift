// Reference: opensora/models/vae/lpips.py@v1.2.0 (NetLinLayer, built with use_dropout=True).
import MLXTensor
import NN

/// One LPIPS head: a 1×1 convolution without bias from a stage's width to one channel, on
/// channels-last [N, H, W, C]. `model.0` is the reference's `nn.Dropout`, which is always in eval
/// mode there (VAELoss builds `LPIPS().eval()`), so it is an `Identity`; the weight is `model.1.weight`.
public final class NetLinLayer: Module, UnaryLayer {
    public let model: Sequential

    public init(inputChannels: Int, outputChannels: Int = 1, key: RandomKey) {
        model = Sequential([Identity(), Convolution(inputChannels, outputChannels, kernelSize: [1, 1], bias: false, key: key)])
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { model(x) }
}
