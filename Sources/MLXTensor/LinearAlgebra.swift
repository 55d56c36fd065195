import CMLX

/// Matrix products (batched over leading axes, broadcasting).
extension Tensor {
    public func matmul(_ other: Tensor) -> Tensor {
        Tensor.op(self, other) { cmlx_matmul($0, self.handle, other.handle) }
    }

    /// beta·c + alpha·(a @ b) in one op: the bias rides along with the GEMM instead of a second pass.
    public static func addmm(_ c: Tensor, _ a: Tensor, _ b: Tensor, alpha: Float = 1, beta: Float = 1) -> Tensor {
        Tensor.op(c, a, b) { cmlx_addmm($0, c.handle, a.handle, b.handle, alpha, beta) }
    }
}
