import CMLX

/// Broadcasting arithmetic and comparisons (MLX's promotion rules: a Float scalar takes the
/// tensor's floating type instead of promoting it).
extension Tensor {
    func binary(_ op: cmlx_binary_op, _ other: Tensor) -> Tensor {
        Tensor.op(self, other) { cmlx_binary($0, op, self.handle, other.handle) }
    }

    /// A scalar in this tensor's dtype when that is floating point, else float32.
    func scalar(_ value: Float) -> Tensor {
        Tensor(value, dtype: dtype.isFloatingPoint ? dtype : .float32)
    }

    func unary(_ op: cmlx_unary_op) -> Tensor {
        Tensor.op(self) { cmlx_unary($0, op, self.handle) }
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor { a.binary(CMLX_ADD, b) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { a.binary(CMLX_SUB, b) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { a.binary(CMLX_MUL, b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { a.binary(CMLX_DIV, b) }
    public static func + (a: Tensor, b: Float) -> Tensor { a.binary(CMLX_ADD, a.scalar(b)) }
    public static func - (a: Tensor, b: Float) -> Tensor { a.binary(CMLX_SUB, a.scalar(b)) }
    public static func * (a: Tensor, b: Float) -> Tensor { a.binary(CMLX_MUL, a.scalar(b)) }
    public static func / (a: Tensor, b: Float) -> Tensor { a.binary(CMLX_DIV, a.scalar(b)) }
    public static func + (a: Float, b: Tensor) -> Tensor { b.scalar(a).binary(CMLX_ADD, b) }
    public static func - (a: Float, b: Tensor) -> Tensor { b.scalar(a).binary(CMLX_SUB, b) }
    public static func * (a: Float, b: Tensor) -> Tensor { b.scalar(a).binary(CMLX_MUL, b) }
    public static func / (a: Float, b: Tensor) -> Tensor { b.scalar(a).binary(CMLX_DIV, b) }
    public static prefix func - (a: Tensor) -> Tensor { a.unary(CMLX_NEG) }

    public func pow(_ exponent: Tensor) -> Tensor { binary(CMLX_POW, exponent) }
    public func pow(_ exponent: Float) -> Tensor { binary(CMLX_POW, scalar(exponent)) }
    public func maximum(_ other: Tensor) -> Tensor { binary(CMLX_MAXIMUM, other) }
    public func minimum(_ other: Tensor) -> Tensor { binary(CMLX_MINIMUM, other) }
    public func maximum(_ other: Float) -> Tensor { binary(CMLX_MAXIMUM, scalar(other)) }
    public func minimum(_ other: Float) -> Tensor { binary(CMLX_MINIMUM, scalar(other)) }
    public func remainder(_ other: Tensor) -> Tensor { binary(CMLX_REMAINDER, other) }
    public func floorDivide(_ other: Tensor) -> Tensor { binary(CMLX_FLOOR_DIVIDE, other) }
    public func atan2(_ other: Tensor) -> Tensor { binary(CMLX_ATAN2, other) }

    /// Element-wise clamp to [lo, hi].
    public func clipped(_ lo: Float, _ hi: Float) -> Tensor {
        let l = scalar(lo), u = scalar(hi)
        return Tensor.op(self, l, u) { cmlx_clip($0, self.handle, l.handle, u.handle) }
    }

    public func asType(_ dtype: DType) -> Tensor {
        Tensor.op(self) { cmlx_astype($0, self.handle, dtype.cValue) }
    }

    /// `condition ? a : b`, element-wise with broadcasting.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        Tensor.op(condition, a, b) { cmlx_where($0, condition.handle, a.handle, b.handle) }
    }
}

infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence
infix operator .&& : LogicalConjunctionPrecedence
infix operator .|| : LogicalDisjunctionPrecedence

/// Element-wise comparisons giving bool tensors.
extension Tensor {
    public static func .== (a: Tensor, b: Tensor) -> Tensor { a.binary(CMLX_EQUAL, b) }
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { a.binary(CMLX_NOT_EQUAL, b) }
    public static func .< (a: Tensor, b: Tensor) -> Tensor { a.binary(CMLX_LESS, b) }
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { a.binary(CMLX_LESS_EQUAL, b) }
    public static func .> (a: Tensor, b: Tensor) -> Tensor { a.binary(CMLX_GREATER, b) }
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { a.binary(CMLX_GREATER_EQUAL, b) }
    public static func .== (a: Tensor, b: Float) -> Tensor { a.binary(CMLX_EQUAL, a.scalar(b)) }
    public static func .< (a: Tensor, b: Float) -> Tensor { a.binary(CMLX_LESS, a.scalar(b)) }
    public static func .<= (a: Tensor, b: Float) -> Tensor { a.binary(CMLX_LESS_EQUAL, a.scalar(b)) }
    public static func .> (a: Tensor, b: Float) -> Tensor { a.binary(CMLX_GREATER, a.scalar(b)) }
    public static func .>= (a: Tensor, b: Float) -> Tensor { a.binary(CMLX_GREATER_EQUAL, a.scalar(b)) }
    public static func .&& (a: Tensor, b: Tensor) -> Tensor { a.binary(CMLX_LOGICAL_AND, b) }
    public static func .|| (a: Tensor, b: Tensor) -> Tensor { a.binary(CMLX_LOGICAL_OR, b) }
    public func logicalNot() -> Tensor { unary(CMLX_LOGICAL_NOT) }
}
