import CMLX

/// Swift functions over tensors handed to MLX's transforms (vjp, value_and_grad, compile): the
/// closure travels as a C callback plus context and MLX traces it like any other function.
final class FunctionBox {
    let body: ([Tensor]) throws -> [Tensor]
    var error: Error?
    init(_ body: @escaping ([Tensor]) throws -> [Tensor]) { self.body = body }
}

private let trampoline: cmlx_function = { context, inputs, outputs in
    let box = Unmanaged<FunctionBox>.fromOpaque(context!).takeUnretainedValue()
    do {
        let results = try box.body(ArrayVector(borrowing: inputs!).tensors)
        try ArrayVector(borrowing: outputs!).append(results)
        return 0
    } catch {
        box.error = error
        cmlx_set_error("\(error)")
        return 1
    }
}

/// An MLX closure owning its Swift body.
final class Closure {
    let raw: cmlx_closure
    let box: FunctionBox?

    init(_ body: @escaping ([Tensor]) throws -> [Tensor]) {
        let box = FunctionBox(body)
        self.box = box
        raw = cmlx_closure_new(trampoline, Unmanaged.passRetained(box).toOpaque()) {
            Unmanaged<FunctionBox>.fromOpaque($0!).release()
        }
    }

    init(raw: cmlx_closure, box: FunctionBox?) {
        self.raw = raw
        self.box = box
    }

    deinit { cmlx_closure_free(raw) }

    /// Calls the closure on `inputs` (through MLX, so transforms see it).
    func apply(_ inputs: [Tensor]) throws -> [Tensor] {
        let ins = try ArrayVector(inputs), outs = ArrayVector()
        try run { cmlx_closure_apply(outs.raw, raw, ins.raw) }
        return outs.tensors
    }

    /// Runs a shim transform; a Swift error thrown inside the body is rethrown as itself.
    func run(_ call: () -> Int32) throws {
        box?.error = nil
        if call() != 0 {
            if let error = box?.error { throw error }
            throw TensorError.mlx(String(cString: cmlx_last_error()))
        }
    }
}

/// The outputs of `f` at `inputs` and the gradient of its first output (a scalar loss) with respect
/// to `inputs[argnums]` (all inputs when nil). Later outputs ride along as auxiliary values.
public func valueAndGrad(
    of f: ([Tensor]) throws -> [Tensor], at inputs: [Tensor], argnums: [Int]? = nil
) throws -> (values: [Tensor], grads: [Tensor]) {
    try withoutActuallyEscaping(f) { f in
        let closure = Closure(f)
        let ins = try ArrayVector(inputs), values = ArrayVector(), grads = ArrayVector()
        let nums = argnums ?? Array(inputs.indices)
        try withInt32(nums) { a, n in try closure.run { cmlx_value_and_grad(values.raw, grads.raw, closure.raw, ins.raw, a, n) } }
        return (values.tensors, grads.tensors)
    }
}

/// Vector-Jacobian product: outputs of `f` at `primals` and cotangentsᵀ·J for each primal.
public func vjp(
    of f: ([Tensor]) throws -> [Tensor], at primals: [Tensor], cotangents: [Tensor]
) throws -> (outputs: [Tensor], vjps: [Tensor]) {
    try withoutActuallyEscaping(f) { f in
        let closure = Closure(f)
        let p = try ArrayVector(primals), c = try ArrayVector(cotangents), outs = ArrayVector(), vjps = ArrayVector()
        try closure.run { cmlx_vjp(outs.raw, vjps.raw, closure.raw, p.raw, c.raw) }
        return (outs.tensors, vjps.tensors)
    }
}

/// A function compiled by MLX (graph simplification and fusion; on CPU it shells out to g++ and
/// brought no speed-up here, notes/runtime-mlx-x86.md §5). Same results as the plain function.
public final class CompiledFunction {
    private let source: Closure
    private let compiled: Closure

    public init(shapeless: Bool = false, _ body: @escaping ([Tensor]) throws -> [Tensor]) throws {
        source = Closure(body)
        var out: cmlx_closure? = nil
        try check(cmlx_compile(&out, source.raw, shapeless ? 1 : 0))
        compiled = Closure(raw: out!, box: source.box)
    }

    public func callAsFunction(_ inputs: [Tensor]) throws -> [Tensor] {
        let ins = try ArrayVector(inputs), outs = ArrayVector()
        try compiled.run { cmlx_closure_apply(outs.raw, compiled.raw, ins.raw) }
        return outs.tensors
    }
}
