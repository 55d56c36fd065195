import CMLX

/// Constant and range tensors.
extension Tensor {
    public static func full(_ shape: [Int], value: Float, dtype: DType = .float32) -> Tensor {
        let v = Tensor(value)
        return withInt32(shape) { s, n in Tensor.op(v) { cmlx_array_full($0, s, n, v.handle, dtype.cValue) } }
    }

    public static func zeros(_ shape: [Int], dtype: DType = .float32) -> Tensor { full(shape, value: 0, dtype: dtype) }
    public static func ones(_ shape: [Int], dtype: DType = .float32) -> Tensor { full(shape, value: 1, dtype: dtype) }
    /// Shaped like `t` (a failed `t` is passed on: its empty shape would make a healthy scalar).
    public static func zeros(like t: Tensor) -> Tensor { Tensor.failed(t) ?? full(t.shape, value: 0, dtype: t.dtype) }
    public static func ones(like t: Tensor) -> Tensor { Tensor.failed(t) ?? full(t.shape, value: 1, dtype: t.dtype) }

    /// start, start+step, … below stop.
    public static func arange(_ start: Double, _ stop: Double, step: Double = 1, dtype: DType = .float32) -> Tensor {
        Tensor.op { cmlx_arange($0, start, stop, step, dtype.cValue) }
    }

    public static func arange(_ stop: Int, dtype: DType = .int32) -> Tensor { arange(0, Double(stop), dtype: dtype) }
}
