import CMLX

/// N-d convolution in MLX's channels-last layout: input [N, spatial…, Cin], weight
/// [Cout, k…, Cin/groups]. PyTorch-layout weights are converted once at load (NN's Conv layers).
extension Tensor {
    /// `padding` gives (low, high) per spatial axis, so causal (past-only) padding needs no extra copy.
    public func convolved(
        with weight: Tensor, stride: [Int]? = nil, padding: [(Int, Int)]? = nil, dilation: [Int]? = nil,
        inputDilation: [Int]? = nil, groups: Int = 1, flip: Bool = false
    ) -> Tensor {
        if let f = Tensor.failed(self, weight) { return f }
        let n = ndim - 2
        guard n >= 1, weight.ndim == ndim else {
            return Tensor(failure: .shapeMismatch(
                "[conv] input \(shape) and weight \(weight.shape) must both be (spatial axes + 2)-D, channels last"))
        }
        let ones = Array(repeating: 1, count: n)
        let pads = padding ?? Array(repeating: (0, 0), count: n)
        let lists = [stride ?? ones, pads.map(\.0), pads.map(\.1), dilation ?? ones, inputDilation ?? ones]
        guard lists.allSatisfy({ $0.count == n }) else {
            return Tensor(failure: .invalidArgument("[conv] stride/padding/dilation must have \(n) entries each"))
        }
        if groups == 1, !flip, lists[3] == ones, lists[4] == ones, (2...3).contains(n) {
            if let fast = kernelConvolution(weight, bias: nil, residual: nil, stride: lists[0], padding: pads) { return fast }
        }
        if groups > 1 && n > 2 {
            // MLX groups only 1-D/2-D convolutions: run each group on its own channel slice.
            guard dim(-1) % groups == 0, weight.dim(0) % groups == 0 else {
                return Tensor(failure: .shapeMismatch("[conv] \(dim(-1)) input / \(weight.dim(0)) output channels do not split into \(groups) groups"))
            }
            let inputs = split(parts: groups, axis: -1), weights = weight.split(parts: groups, axis: 0)
            return Tensor.concatenate(zip(inputs, weights).map {
                $0.convolved(with: $1, stride: stride, padding: padding, dilation: dilation, inputDilation: inputDilation, flip: flip)
            }, axis: -1)
        }
        return withInt32(lists[0]) { s, _ in
            withInt32(lists[1]) { lo, _ in
                withInt32(lists[2]) { hi, _ in
                    withInt32(lists[3]) { d, _ in
                        withInt32(lists[4]) { id, _ in
                            Tensor.op(self, weight) {
                                cmlx_conv_general($0, self.handle, weight.handle, s, lo, hi, d, id, cInt(n), cInt(groups),
                                                  flip ? 1 : 0)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Convolution plus a per-channel bias (and a residual added to the output); on the CPU,
    /// undilated convolutions run the shim's kernels (no im2col buffer) with both folded in.
    public func convolved(with weight: Tensor, bias: Tensor?, stride: [Int], padding: [(Int, Int)], dilation: [Int], groups: Int,
                          residual: Tensor? = nil) -> Tensor {
        if let f = Tensor.failed(self, weight, bias, residual) { return f }
        let n = ndim - 2
        guard n >= 1 else { return convolved(with: weight, stride: stride, padding: padding, dilation: dilation, groups: groups) }
        let ones = Array(repeating: 1, count: n)
        if groups == 1, dilation == ones, (2...3).contains(n), padding.count == n, stride.count == n,
           let fast = kernelConvolution(weight, bias: bias, residual: residual, stride: stride, padding: padding) {
            return fast
        }
        let y = convolved(with: weight, stride: stride, padding: padding, dilation: dilation, groups: groups)
        let biased = bias.map { y + $0 } ?? y
        return residual.map { biased + $0 } ?? biased
    }

    /// The CPU convolution kernel, when it applies (float32 on the CPU, channels matching).
    func kernelConvolution(_ weight: Tensor, bias: Tensor?, residual: Tensor?, stride: [Int], padding: [(Int, Int)]) -> Tensor? {
        guard CPUKernels.applies(to: self), weight.dtype == .float32, bias?.dtype ?? .float32 == .float32,
              residual?.dtype ?? .float32 == .float32, weight.ndim == ndim, weight.dim(-1) == dim(-1) else { return nil }
        return withInt32(stride) { s, _ in
            withInt32(padding.map(\.0)) { lo, n in
                withInt32(padding.map(\.1)) { hi, _ in
                    Tensor.op([self, weight] + [bias, residual].compactMap { $0 }) {
                        cmlx_kernel_conv($0, self.handle, weight.handle, bias?.handle, residual?.handle, s, lo, hi, n)
                    }
                }
            }
        }
    }

    /// Nearest-neighbour ×2 upsampling of channels-last images [N, H, W, C].
    public func upsampledNearest2x() -> Tensor {
        if CPUKernels.applies(to: self), ndim == 4 { return Tensor.op(self) { cmlx_kernel_upsample_nearest2x($0, self.handle) } }
        return repeated(2, axis: 1).repeated(2, axis: 2)
    }

    /// Transposed convolution, channels last, weight [Cout, k…, Cin/groups].
    public func convolvedTransposed(
        with weight: Tensor, stride: [Int], padding: [Int], dilation: [Int]? = nil, outputPadding: [Int]? = nil,
        groups: Int = 1
    ) -> Tensor {
        if let f = Tensor.failed(self, weight) { return f }
        let n = ndim - 2
        let zeros = Array(repeating: 0, count: Swift.max(n, 0)), ones = Array(repeating: 1, count: Swift.max(n, 0))
        let lists = [stride, padding, dilation ?? ones, outputPadding ?? zeros]
        guard (1...3).contains(n), weight.ndim == ndim, lists.allSatisfy({ $0.count == n }) else {
            return Tensor(failure: .shapeMismatch(
                "[conv_transpose] input \(shape), weight \(weight.shape): 1 to 3 spatial axes, one stride/padding each"))
        }
        return withInt32(lists[0]) { s, _ in
            withInt32(lists[1]) { p, _ in
                withInt32(lists[2]) { d, _ in
                    withInt32(lists[3]) { op, _ in
                        Tensor.op(self, weight) {
                            cmlx_conv_transpose($0, self.handle, weight.handle, s, p, d, op, cInt(n), cInt(groups))
                        }
                    }
                }
            }
        }
    }
}
