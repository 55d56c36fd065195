import MLXTensor
import NN
import XCTest

/// Gradient checkpointing of a module call: the parameters (passed to MLX as explicit inputs) and
/// the input get the same gradients as without it, and the module keeps its own tensors.
final class RecomputationTests: XCTestCase {
    let mlp = Sequential([Linear(4, 8, key: RandomKey(seed: 1)), GELU(approximation: .tanh), Linear(8, 3, key: RandomKey(seed: 2))])
    let x = Tensor.normal([5, 4], key: RandomKey(seed: 3))

    func loss(_ y: Tensor) -> Tensor { (y.square() * Tensor([1, 2, 3] as [Float])).sum() }

    func testParameterGradientsEqualThePlainCall() throws {
        let plain = try mlp.valueAndGrad { loss(mlp(x)) }
        let recomputed = try mlp.valueAndGrad { loss(mlp.recomputed(x)) }
        XCTAssertEqual(try recomputed.loss.item(), try plain.loss.item())
        XCTAssertEqual(Set(recomputed.grads.keys), Set(mlp.trainableParameters().map(\.0)))
        for (name, g) in plain.grads {
            try assertClose(try XCTUnwrap(recomputed.grads[name]).toArray(), g.toArray(), accuracy: 1e-6, name)
        }
    }

    func testInputGradientEqualsThePlainCall() throws {
        let plain = try valueAndGrad(of: { [self.loss(self.mlp($0[0]))] }, at: [x])
        let recomputed = try valueAndGrad(of: { [self.loss(self.mlp.recomputed($0[0]))] }, at: [x])
        try assertClose(try recomputed.grads[0].toArray(), plain.grads[0].toArray(), accuracy: 1e-6, "input")
    }

    /// A tensor computed from trainable parameters outside the call must be an explicit input: its
    /// gradient then reaches the parameters it came from (here a bias added before the MLP).
    func testOutsideTensorsPassedAsInputsKeepTheirGradients() throws {
        let shift = Linear(4, 4, key: RandomKey(seed: 4))
        let model = Sequential([shift, mlp])
        let plain = try model.valueAndGrad { loss(mlp(shift(x))) }
        let recomputed = try model.valueAndGrad {
            let h = shift(x)
            return loss(try mlp.recomputingActivations([h]) { [unowned mlp] in [mlp($0[0])] }[0])
        }
        for (name, g) in plain.grads {
            try assertClose(try XCTUnwrap(recomputed.grads[name]).toArray(), g.toArray(), accuracy: 1e-6, name)
        }
        XCTAssertGreaterThan(try XCTUnwrap(recomputed.grads["0.weight"]).abs().max().item(), 0)
    }

    func testTheModuleKeepsItsTensorsAndOutsideATraceItIsThePlainCall() throws {
        let before = mlp.namedParameters().map(\.1)
        _ = try mlp.valueAndGrad { loss(mlp.recomputed(x)) }
        for (a, b) in zip(before, mlp.namedParameters().map(\.1)) { XCTAssertTrue(a === b) }
        var calls = 0
        let y = try mlp.recomputingActivations([x]) { calls += 1; return [self.mlp($0[0])] }[0]
        XCTAssertEqual(calls, 1)
        try assertClose(try y.toArray(), try mlp(x).toArray(), accuracy: 0)
        XCTAssertNotNil(mlp.recomputed(Tensor(failure: .invalidArgument("bad"))).failure)
    }

    /// Parameters the trace does not differentiate (frozen at the root) and constant inputs are not
    /// passed: with nothing traced the body runs once, as a plain call.
    func testFrozenParametersAndConstantInputsStayOut() throws {
        let head = Linear(3, 1, key: RandomKey(seed: 6))
        let model = Sequential([mlp, head])
        model.frozenPrefixes = ["0."]
        var calls = 0
        let plain = try model.valueAndGrad { head(mlp(x)).sum() }
        let recomputed = try model.valueAndGrad {
            head(try mlp.recomputingActivations([x]) { calls += 1; return [self.mlp($0[0])] }[0]).sum()
        }
        XCTAssertEqual(calls, 1)
        XCTAssertEqual(Set(recomputed.grads.keys), ["1.weight", "1.bias"])
        for (name, g) in plain.grads {
            try assertClose(try XCTUnwrap(recomputed.grads[name]).toArray(), g.toArray(), accuracy: 1e-6, name)
        }
        XCTAssertFalse(x.isTraced)
    }

    /// The point of it: a residual stack of MLPs whose activations dwarf its weights keeps about one
    /// block's activations in the backward pass instead of all sixteen (MLX's allocator peak).
    func testRecomputationLowersTheBackwardPeak() throws {
        let blocks = (0..<16).map { i -> Sequential in
            Sequential([Linear(128, 512, key: RandomKey(seed: UInt64(10 + i))), GELU(approximation: .tanh),
                        Linear(512, 128, key: RandomKey(seed: UInt64(20 + i)))])
        }
        let model = Sequential(blocks)
        let h0 = Tensor.normal([2048, 128], key: RandomKey(seed: 5))
        try Tensor.eval(model.namedParameters().map(\.1) + [h0])
        func peak(recomputing: Bool) throws -> (Int, Float) {
            Runtime.resetPeakMemory()
            let base = Runtime.activeMemory
            let (loss, grads) = try model.valueAndGrad { () -> Tensor in
                var h = h0
                for b in blocks { h = h + b(h, recomputing: recomputing) }
                return h.square().mean()
            }
            try Tensor.eval([loss] + Array(grads.values))
            return (Runtime.peakMemory - base, try loss.item())
        }
        let (plain, plainLoss) = try peak(recomputing: false)
        let (recomputed, loss) = try peak(recomputing: true)
        XCTAssertEqual(loss, plainLoss)
        XCTAssertLessThan(Double(recomputed), 0.6 * Double(plain), "backward peak \(recomputed) B recomputed, \(plain) B plain")
    }
}
