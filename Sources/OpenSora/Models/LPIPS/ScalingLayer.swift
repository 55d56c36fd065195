// Reference: opensora/models/vae/lpips.py@v1.2.0 (ScalingLayer); spec/training.md §13.4.
import MLXTensor
import NN

/// Maps images in [−1, 1] to the statistics VGG16 was trained on: (x − shift) / scale per RGB
/// channel. Both are persistent buffers of the reference (`scaling_layer.shift`, `.scale`,
/// [1, 3, 1, 1]), so they stay in the reference layout and apply to [N, 3, H, W] images.
public final class ScalingLayer: Module {
    @Parameter(buffer: true) public var shift: Tensor
    @Parameter(buffer: true) public var scale: Tensor

    public static let shiftValues: [Float] = [-0.030, -0.088, -0.188]
    public static let scaleValues: [Float] = [0.458, 0.448, 0.450]

    override public init() {
        super.init()
        shift = Tensor(Self.shiftValues, shape: [1, 3, 1, 1])
        scale = Tensor(Self.scaleValues, shape: [1, 3, 1, 1])
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { (x - shift) / scale }
}
