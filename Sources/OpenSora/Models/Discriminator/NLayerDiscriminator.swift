// Reference: opensora/models/vae/discriminator.py@v1.2.0 (NLayerDiscriminator, n_layer_disc_weights_init), after
// pix2pix's PatchGAN; train_vae.py@v1.2.0 feeds it frames "(b t) c h w".
import MLXTensor
import NN

/// PatchGAN discriminator on frames: 4×4 convolutions (stride 2, then 1), BatchNorm + LeakyReLU(0.2) between,
/// one logit per patch. Keys `main.N.*` as the reference's `nn.Sequential`; input and output channels-last.
public final class NLayerDiscriminator: Module, UnaryLayer {
    /// How the weights are first drawn.
    public enum Initialization: Sendable {
        /// What `NLayerDiscriminator(**cfg)` holds when built by the registry (train_vae.py applies no init):
        /// PyTorch's conv defaults, BatchNorm weight 1, bias 0.
        case pyTorchDefault
        /// `n_layer_disc_weights_init`: conv weights N(0, 0.02) (conv biases keep the default draw), BatchNorm
        /// weight N(1, 0.02), bias 0.
        case nLayerWeightsInit
    }

    public let config: NLayerDiscriminatorConfig
    @Child(key: "main") public var main: Sequential

    public init(_ config: NLayerDiscriminatorConfig = .v1_2, initialization: Initialization = .pyTorchDefault, key: RandomKey) {
        self.config = config
        let keys = key.split(into: 2 * config.layerCount + 4)
        var k = keys.makeIterator()
        func conv(_ i: Int, _ o: Int, stride: Int, bias: Bool) -> Convolution {
            Convolution(i, o, kernelSize: [4, 4], stride: [stride, stride], padding: [1, 1], bias: bias, key: k.next()!)
        }
        let ndf = config.filters
        var layers: [any UnaryLayer] = [conv(config.inputChannels, ndf, stride: 2, bias: true), LeakyReLU(negativeSlope: 0.2)]
        var mult = 1
        for n in stride(from: 1, to: config.layerCount, by: 1) {
            let previous = mult
            mult = min(1 << n, 8)
            layers += [conv(ndf * previous, ndf * mult, stride: 2, bias: false), BatchNorm(ndf * mult), LeakyReLU(negativeSlope: 0.2)]
        }
        let previous = mult
        mult = min(1 << config.layerCount, 8)
        layers += [conv(ndf * previous, ndf * mult, stride: 1, bias: false), BatchNorm(ndf * mult), LeakyReLU(negativeSlope: 0.2)]
        layers.append(conv(ndf * mult, 1, stride: 1, bias: true))
        super.init()
        main = Sequential(layers)
        if initialization == .nLayerWeightsInit { applyNLayerWeightsInit(key: keys[keys.count - 1]) }
        train()
    }

    /// `[N, H, W, C]` frames → `[N, H', W', 1]` patch logits.
    public func callAsFunction(_ x: Tensor) -> Tensor { main(x) }

    /// The same forward with the BatchNorm running statistics left as they are (a recomputation, not a new pass).
    public func withoutUpdatingStatistics<T>(_ body: () throws -> T) rethrows -> T {
        let norms = batchNorms
        let saved = norms.map(\.updatesStatistics)
        for n in norms { n.updatesStatistics = false }
        defer { for (n, s) in zip(norms, saved) { n.updatesStatistics = s } }
        return try body()
    }

    var batchNorms: [BatchNorm] { main.layers.compactMap { $0 as? BatchNorm } }

    /// `n_layer_disc_weights_init` (classes named *Conv* and *BatchNorm*), one key per module in order.
    func applyNLayerWeightsInit(key: RandomKey) {
        let keys = key.split(into: main.layers.count)
        for (layer, k) in zip(main.layers, keys) {
            if let c = layer as? Convolution {
                c.weight = WeightInit.normal(c.weight.shape, std: 0.02, key: k)
            } else if let b = layer as? BatchNorm, let w = b.weight {
                b.weight = WeightInit.normal(w.shape, std: 0.02, key: k) + 1
                b.bias = Tensor.zeros(w.shape)
            }
        }
    }
}
