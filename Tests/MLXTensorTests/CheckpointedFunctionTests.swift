import MLXTensor
import XCTest

/// MLX's checkpoint through the shim: same values and gradients, the body really runs again in the
/// backward pass, it outlives the Swift object, and a failure there is an error, not a crash.
final class CheckpointedFunctionTests: XCTestCase {
    let w = Tensor.normal([4, 3], key: RandomKey(seed: 1))
    let x = Tensor.normal([2, 4], key: RandomKey(seed: 2))

    func f(_ ins: [Tensor]) -> [Tensor] { [(ins[0].matmul(ins[1])).tanh().square(), ins[0].exp()] }

    func testValuesAndGradientsEqualThePlainFunction() throws {
        func loss(_ o: [Tensor]) -> Tensor { o[0].sum() + 0.5 * o[1].mean() }
        let plain = try valueAndGrad(of: { [loss(self.f($0))] }, at: [x, w])
        let checkpointed = try valueAndGrad(of: { ins in
            let function = try CheckpointedFunction { self.f($0) }
            return [loss(try function(ins))]
        }, at: [x, w])
        XCTAssertEqual(try checkpointed.values[0].item(), try plain.values[0].item())
        for i in 0..<2 { try assertClose(checkpointed.grads[i], plain.grads[i], atol: 1e-6, rtol: 1e-6, "input \(i)") }
    }

    func testTheBodyRunsAgainOnlyUnderAGradient() throws {
        var calls = 0
        let function = try CheckpointedFunction { ins in
            calls += 1
            return [ins[0].square()]
        }
        _ = try function([x])[0].eval()
        XCTAssertEqual(calls, 1)
        XCTAssertFalse(GradientTrace.isActive)
        calls = 0
        var active = false
        _ = try valueAndGrad(of: { ins in
            active = GradientTrace.isActive
            return [try function(ins)[0].sum()]
        }, at: [x])
        XCTAssertTrue(active)
        XCTAssertEqual(calls, 2, "once traced, once recomputed for the backward pass")
    }

    /// The backward pass calls the body after the closure that made the function has returned and
    /// released it: MLX's graph keeps the body alive.
    func testTheBodyOutlivesTheFunctionObject() throws {
        weak var released: CheckpointedFunction?
        let (_, grads) = try valueAndGrad(of: { ins in
            let function = try CheckpointedFunction { [$0[0].sin()] }
            released = function
            return [try function(ins)[0].sum()]
        }, at: [x])
        XCTAssertNil(released)
        try assertClose(grads[0], x.cos())
    }

    func testAFailureInTheBackwardPassThrows() throws {
        struct Refused: Error {}
        var calls = 0
        XCTAssertThrowsError(try valueAndGrad(of: { ins in
            let function = try CheckpointedFunction { ins in
                calls += 1
                if calls > 1 { throw Refused() }
                return [ins[0].square()]
            }
            return [try function(ins)[0].sum()]
        }, at: [x]))
        XCTAssertEqual(calls, 2)
        struct Early: Error {}
        let failing = try CheckpointedFunction { _ in throw Early() }
        XCTAssertThrowsError(try failing([x])) { XCTAssertTrue($0 is Early) }
    }
}
