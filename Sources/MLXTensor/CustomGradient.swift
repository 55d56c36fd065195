// Reference: mlx/transforms.h (mx::custom_vjp).
import CMLX

/// A function with a hand-written backward pass: under `valueAndGrad`/`vjp` MLX calls `backward`
/// instead of differentiating `forward`. For operations autodiff cannot see through correctly, such
/// as collectives whose true gradient needs other processes' cotangents.
public final class CustomGradientFunction {
    private let forwardClosure: Closure
    private let backwardClosure: Closure
    private let function: Closure

    /// `backward(primals, cotangents, outputs)` returns one cotangent per primal.
    public init(forward: @escaping ([Tensor]) throws -> [Tensor],
                backward: @escaping (_ primals: [Tensor], _ cotangents: [Tensor], _ outputs: [Tensor]) throws -> [Tensor],
                inputCount: Int, outputCount: Int) throws {
        forwardClosure = Closure(forward)
        backwardClosure = Closure { all in
            let primals = Array(all[0..<inputCount]), cotangents = Array(all[inputCount..<(inputCount + outputCount)])
            return try backward(primals, cotangents, Array(all[(inputCount + outputCount)...]))
        }
        var out: cmlx_closure? = nil
        try check(cmlx_custom_vjp(&out, forwardClosure.raw, backwardClosure.raw))
        guard let out else { throw TensorError.mlx("[custom_vjp] no closure returned") }
        function = Closure(raw: out, box: forwardClosure.box)
    }

    public func callAsFunction(_ inputs: [Tensor]) throws -> [Tensor] { try function.apply(inputs) }
}
