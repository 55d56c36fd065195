import CMLX

/// Bridging to the C shim: every call returns 0 or 1 and leaves its message in `cmlx_last_error`.
@inline(__always)
func check(_ code: Int32) throws {
    if code != 0 { throw TensorError.mlx(String(cString: cmlx_last_error())) }
}

extension Tensor {
    /// Runs one shim op that produces an array. An input that already failed, or a failing op,
    /// yields a failed tensor that carries the first error to `eval()`/`toArray()`/`checked()`.
    @inline(__always)
    static func op(_ inputs: Tensor..., body: (UnsafeMutablePointer<cmlx_array?>) -> Int32) -> Tensor {
        op(inputs, body: body)
    }

    static func op(_ inputs: [Tensor], body: (UnsafeMutablePointer<cmlx_array?>) -> Int32) -> Tensor {
        for t in inputs where t.handle == nil { return t }
        var out: cmlx_array? = nil
        guard body(&out) == 0, let out else {
            return Tensor(failure: .mlx(String(cString: cmlx_last_error())))
        }
        return Tensor(owning: out)
    }

    /// The first failed tensor among `inputs` (nil entries are absent optionals), so an op that
    /// reads shapes can return it before doing arithmetic on a failed tensor's empty shape.
    static func failed(_ inputs: Tensor?...) -> Tensor? {
        for case let t? in inputs where t.failure != nil { return t }
        return nil
    }
}

/// Calls `body` with the C handles of `tensors` (failed ones are nil).
func withHandles<R>(_ tensors: [Tensor], _ body: (UnsafePointer<cmlx_array?>) throws -> R) rethrows -> R {
    let handles = tensors.map { $0.handle }
    return try handles.withUnsafeBufferPointer { try body($0.baseAddress!) }
}

/// One Int argument for the shim, out-of-range as Int32.min (see `withInt32`): never a trap.
@inline(__always)
func cInt(_ value: Int) -> Int32 { Int32(exactly: value) ?? Int32.min }

/// Calls `body` with an Int32 copy of `values`. A value outside Int32 becomes Int32.min, which MLX
/// rejects as a size, axis or width, instead of wrapping to a small value that could be accepted.
func withInt32<R>(_ values: [Int], _ body: (UnsafePointer<Int32>, Int32) throws -> R) rethrows -> R {
    let v = values.map { Int32(exactly: $0) ?? Int32.min } + [0]  // never empty, so the pointer is valid
    return try v.withUnsafeBufferPointer { try body($0.baseAddress!, Int32(values.count)) }
}

/// A vector of arrays owned by the shim, for function transforms and splits.
final class ArrayVector {
    let raw: cmlx_vector
    init() { raw = cmlx_vector_new() }
    init(borrowing raw: cmlx_vector) { self.raw = raw; owned = false }
    private var owned = true
    deinit { if owned { cmlx_vector_free(raw) } }

    convenience init(_ tensors: [Tensor]) throws {
        self.init()
        try append(tensors)
    }

    func append(_ tensors: [Tensor]) throws {
        for t in tensors {
            guard let h = t.handle else { throw t.error }
            try check(cmlx_vector_append(raw, h))
        }
    }

    var tensors: [Tensor] {
        (0..<cmlx_vector_size(raw)).map { i in Tensor.op { cmlx_vector_get($0, raw, i) } }
    }
}
