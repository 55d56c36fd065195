import MLXTensor

/// PyTorch's `nn.MaxPool2d(kernel_size=k, stride=k)` (no padding, floor mode) on channels-last
/// images [N, H, W, C]: trailing rows and columns that do not fill a window are dropped.
public final class MaxPool2d: Module, UnaryLayer {
    public let kernelSize: Int

    public init(kernelSize: Int = 2) {
        self.kernelSize = kernelSize
        super.init()
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if x.failure != nil { return x }
        let k = kernelSize
        guard x.ndim == 4, k > 0, x.dim(1) >= k, x.dim(2) >= k else {
            return Tensor(failure: .shapeMismatch("[MaxPool2d] input \(x.shape) must be [N, H, W, C] with H, W ≥ \(k) (kernel \(k))"))
        }
        let (n, h, w, c) = (x.dim(0), x.dim(1) / k, x.dim(2) / k, x.dim(3))
        let cropped = x.dim(1) == h * k && x.dim(2) == w * k ? x : x[.all, 0..<(h * k), 0..<(w * k)]
        return cropped.reshaped(n, h, k, w, k, c).max(axes: [2, 4])
    }
}
