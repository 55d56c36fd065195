// Reference: opensora/models/vae/lpips.py@v1.2.0 (LPIPS.forward, normalize_tensor, spatial_average);
// spec/training.md §13.4.
import MLXTensor
import NN

/// The learned perceptual distance (taming's LPIPS over VGG16) that VAELoss adds to its L1 term:
/// both images through the scaling layer and the VGG trunk, each stage's features normalised to
/// unit length over channels, their squared difference weighted by a 1×1 head and averaged over
/// the pixels, and the five stages summed.
///
/// Images at the boundary are the reference's [N, 3, H, W] in [−1, 1]; the trunk runs channels-last.
/// The parameter paths are the reference state_dict's (`scaling_layer.shift`, `net.slice1.0.weight`,
/// `lin0.model.1.weight`, …). Nothing here is trained: every path is frozen, and gradients flow
/// only to the inputs.
public final class LPIPS: Module {
    public let config: LPIPSConfig
    @Child(key: "scaling_layer") public var scalingLayer: ScalingLayer
    public let net: VGG16Features
    public let lin0: NetLinLayer
    public let lin1: NetLinLayer
    public let lin2: NetLinLayer
    public let lin3: NetLinLayer
    public let lin4: NetLinLayer

    /// `normalize_tensor`'s epsilon, added to the norm (not under the square root).
    public static let normalizationEpsilon: Float = 1e-10

    /// Random weights from `key` (tests; real use loads checkpoints, see `LPIPS+Loading`).
    public init(_ config: LPIPSConfig = .vgg16, key: RandomKey) throws {
        try config.validate()
        self.config = config
        let keys = key.split(into: 6)
        net = VGG16Features(channels: config.channels, key: keys[0])
        let heads = config.channels.indices.map { NetLinLayer(inputChannels: config.channels[$0], key: keys[$0 + 1]) }
        (lin0, lin1, lin2, lin3, lin4) = (heads[0], heads[1], heads[2], heads[3], heads[4])
        super.init()
        scalingLayer = ScalingLayer()
        frozenPrefixes = [""]  // the reference sets requires_grad=False on every parameter
        eval()
    }

    public var lins: [NetLinLayer] { [lin0, lin1, lin2, lin3, lin4] }

    /// The distance of each pair of images, [N, 1, 1, 1]; `input` and `target` are [N, 3, H, W]
    /// in [−1, 1] with H and W at least 16 (four 2×2 pools before relu5_3).
    public func callAsFunction(_ input: Tensor, _ target: Tensor) -> Tensor {
        if input.failure != nil { return input }
        if target.failure != nil { return target }
        let side = 1 << (VGG16Features.sliceBounds.count - 2)
        guard input.ndim == 4, input.shape == target.shape, input.dim(1) == 3, input.dim(2) >= side, input.dim(3) >= side else {
            return Tensor(failure: .shapeMismatch(
                "[LPIPS] input \(input.shape) and target \(target.shape) must both be [N, 3, H, W] with H, W ≥ \(side)"))
        }
        let features0 = net(channelsLast(scalingLayer(input)))
        let features1 = net(channelsLast(scalingLayer(target)))
        let stages = lins.enumerated().map { k, head in
            Self.spatialAverage(head((Self.normalized(features0[k]) - Self.normalized(features1[k])).square()))
        }
        return stages.dropFirst().reduce(stages[0], +).reshaped(input.dim(0), 1, 1, 1)
    }

    /// Floor under Σx² before the square root (see `normalized`); float32 and bfloat16 hold it.
    public static let squaredNormFloor: Float = 1e-30

    /// `normalize_tensor`: x / (‖x‖₂ over channels + 1e-10), channels-last.
    ///
    /// The square root is taken of max(Σx², 1e-30). For a vector that is not all zeros this is the
    /// reference's value (a norm below 1e-15 is invisible next to the 1e-10); an all-zero vector
    /// (a pixel every ReLU switched off) still gives 0, but its gradient is 0 where sqrt's would be
    /// 0/0. PyTorch makes the same NaN and its ReLU backward (a select) drops it; MLX's masks
    /// multiply, so the NaN would reach the image's gradient.
    public static func normalized(_ x: Tensor) -> Tensor {
        x / (x.square().sum(axes: [-1], keepDims: true).maximum(squaredNormFloor).sqrt() + normalizationEpsilon)
    }

    /// `spatial_average`: the mean over H and W of channels-last [N, H, W, C], kept as [N, 1, 1, C].
    public static func spatialAverage(_ x: Tensor) -> Tensor { x.mean(axes: [1, 2], keepDims: true) }

    /// [N, C, H, W] → [N, H, W, C].
    func channelsLast(_ x: Tensor) -> Tensor { x.transposed(0, 2, 3, 1) }
}
