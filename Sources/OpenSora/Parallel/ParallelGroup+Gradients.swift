// Reference: opensora/acceleration/communications.py@v1.2.0 (split_forward_gather_backward,
// gather_forward_split_backward, _AllToAll); spec/parallelism.md §2, §3.4.
import MLXTensor

/// How a collective's backward pass scales the gradient it passes on: the reference's `grad_scale`
/// ("up" ×p, "down" ÷p), which makes a world-mean of the gradients equal the one-process gradient.
public enum GradientScale: Sendable {
    case up, down, none

    func factor(_ size: Int) -> Float {
        switch self {
        case .up: Float(size)
        case .down: 1 / Float(size)
        case .none: 1
        }
    }
}

extension ParallelGroup {
    /// This rank's chunk along `axis`; backward: the gradient scaled, then gathered from every rank.
    public func splitForwardGatherBackward(_ x: Tensor, axis: Int, gradientScale: GradientScale) -> Tensor {
        differentiable(x, forward: { self.localChunk($0, axis: axis) }) { g in
            self.allGather(g * self.scale(gradientScale), axis: axis)
        }
    }

    /// Every rank's chunks concatenated along `axis`; backward: the gradient scaled, this rank's chunk kept.
    public func gatherForwardSplitBackward(_ x: Tensor, axis: Int, gradientScale: GradientScale) -> Tensor {
        differentiable(x, forward: { self.allGather($0, axis: axis) }) { g in
            self.localChunk(g * self.scale(gradientScale), axis: axis)
        }
    }

    /// `allToAll` whose backward pass is the inverse exchange (axes swapped, no scaling).
    public func exchange(_ x: Tensor, scatterAxis: Int, gatherAxis: Int) -> Tensor {
        differentiable(x, forward: { self.allToAll($0, scatterAxis: scatterAxis, gatherAxis: gatherAxis) }) { g in
            self.allToAll(g, scatterAxis: gatherAxis, gatherAxis: scatterAxis)
        }
    }

    private func scale(_ s: GradientScale) -> Tensor { Tensor(s.factor(size)) }

    /// `forward(x)` with `backward` as its vector-Jacobian product (a failed tensor on error, as ops do). MLX differentiates a collective
    /// as if every rank held the same cotangent, which is not so here, hence the hand-written pass.
    private func differentiable(_ x: Tensor, forward: @escaping (Tensor) -> Tensor,
                                backward: @escaping (Tensor) -> Tensor) -> Tensor {
        guard !isSingle, x.failure == nil else { return x }
        guard x.isTraced else { return forward(x) }
        do {
            let f = try CustomGradientFunction(forward: { [forward($0[0])] }, backward: { _, cotangents, _ in [backward(cotangents[0])] },
                                               inputCount: 1, outputCount: 1)
            return try f([x])[0]
        } catch let error as TensorError {
            return Tensor(failure: error)
        } catch {
            return Tensor(failure: .mlx("\(error)"))
        }
    }
}
