// Reference: opensora/models/vae/lpips.py@v1.2.0 (vgg16); torchvision models/vgg.py (vgg16().features,
// configuration "D"); spec/training.md §13.4.
import MLXTensor
import NN

/// LPIPS's frozen VGG16 trunk on channels-last images [N, H, W, 3], cut into the reference's five
/// slices ending at relu1_2, relu2_2, relu3_3, relu4_3 and relu5_3 (the last max-pool is unused).
///
/// The reference moves torchvision's `features[x]` into `sliceK` under the name `str(x)`, so the
/// layers keep their torchvision index (`slice2.5.weight` is `features.5.weight`). Each slice is a
/// `Sequential` whose first places, below the slice's first index, are parameter-free `Identity`
/// placeholders: positional numbering then yields exactly those names.
public final class VGG16Features: Module {
    public let slice1: Sequential
    public let slice2: Sequential
    public let slice3: Sequential
    public let slice4: Sequential
    public let slice5: Sequential

    /// The torchvision `features` index each slice starts at, then the end of the last ([0, 4, 9, 16, 23, 30]).
    public static let sliceBounds: [Int] = LPIPSConfig.convolutionsPerStage.enumerated().reduce(into: [0]) { bounds, stage in
        bounds.append(bounds.last! + stageLayerCount(stage: stage.offset, convolutions: stage.element))
    }

    /// Stage `s`: a 2×2 max-pool unless it is the first, then (3×3 conv, ReLU) per convolution.
    static func stageLayerCount(stage: Int, convolutions: Int) -> Int { (stage == 0 ? 0 : 1) + 2 * convolutions }

    init(channels: [Int], key: RandomKey) {
        var keys = KeySequence(key)
        var slices = [Sequential]()
        var width = 3
        for (stage, convolutions) in LPIPSConfig.convolutionsPerStage.enumerated() {
            var layers: [any UnaryLayer] = (0..<Self.sliceBounds[stage]).map { _ in Identity() }
            if stage > 0 { layers.append(MaxPool2d(kernelSize: 2)) }
            for _ in 0..<convolutions {
                layers.append(Convolution(width, channels[stage], kernelSize: [3, 3], padding: [1, 1], key: keys.next()))
                layers.append(ReLU())
                width = channels[stage]
            }
            slices.append(Sequential(layers))
        }
        (slice1, slice2, slice3, slice4, slice5) = (slices[0], slices[1], slices[2], slices[3], slices[4])
        super.init()
    }

    public var slices: [Sequential] { [slice1, slice2, slice3, slice4, slice5] }

    /// relu1_2 … relu5_3, each channels-last [N, H/2^k, W/2^k, C_k] (floor division, as PyTorch pools).
    public func callAsFunction(_ x: Tensor) -> [Tensor] {
        var h = x
        return slices.map { slice in
            h = slice(h)
            return h
        }
    }

    /// The reference's name (`sliceK.N`) of torchvision's `features.N`; nil past the last slice.
    public static func slicePath(featureIndex n: Int) -> String? {
        guard n >= 0, let k = sliceBounds.dropFirst().firstIndex(where: { n < $0 }) else { return nil }
        return "slice\(k).\(n)"
    }
}
