import CMLX

/// An n-dimensional array on MLX: immutable, lazily evaluated, freed when the last reference goes.
///
/// Operators never trap on bad shapes: a failing op yields a *failed* tensor that carries MLX's
/// message; every later op passes it on, and `eval()`, `toArray()`, `item()` and `checked()` throw it.
public final class Tensor: @unchecked Sendable {
    let handle: cmlx_array?
    /// Why this tensor could not be built (nil for a healthy tensor).
    public let failure: TensorError?

    init(owning handle: cmlx_array) {
        self.handle = handle
        self.failure = nil
    }

    /// A failed tensor carrying `failure` (what a layer returns on bad input instead of trapping).
    public init(failure: TensorError) {
        self.handle = nil
        self.failure = failure
    }

    deinit {
        if let handle { cmlx_array_free(handle) }
    }

    // MARK: creation from host values

    /// A tensor holding `values` (row-major) with the given shape, stored as `dtype`.
    public convenience init(_ values: [Float], shape: [Int]? = nil, dtype: DType = .float32) {
        let t = Tensor.copying(values, shape: shape ?? [values.count], sourceType: .float32)
        self.init(taking: dtype == .float32 ? t : t.asType(dtype))
    }

    public convenience init(int32 values: [Int32], shape: [Int]? = nil) {
        self.init(taking: Tensor.copying(values, shape: shape ?? [values.count], sourceType: .int32))
    }

    public convenience init(int64 values: [Int64], shape: [Int]? = nil) {
        self.init(taking: Tensor.copying(values, shape: shape ?? [values.count], sourceType: .int64))
    }

    public convenience init(doubles values: [Double], shape: [Int]? = nil, dtype: DType = .float32) {
        // float64 is not computable on every backend: convert on the host.
        self.init(values.map { Float($0) }, shape: shape, dtype: dtype)
    }

    public convenience init(_ values: [Bool], shape: [Int]? = nil) {
        self.init(taking: Tensor.copying(values.map { UInt8($0 ? 1 : 0) }, shape: shape ?? [values.count], sourceType: .uint8).asType(.bool))
    }

    /// A 0-d tensor.
    public convenience init(_ value: Float, dtype: DType = .float32) {
        let t = Tensor.op { cmlx_array_scalar_f32($0, value, dtype.cValue) }
        self.init(taking: t)
    }

    /// Raw bytes of `sourceType` elements, row-major.
    public convenience init(bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) {
        guard let elements = Tensor.elementCount(shape), shape.allSatisfy({ $0 <= Int(Int32.max) }) else {
            self.init(failure: .shapeMismatch("[Tensor] shape \(shape) is not a valid size (accepted: axes 0...Int32.max whose product fits in Int)"))
            return
        }
        let needed = elements.multipliedReportingOverflow(by: dtype.size)
        guard !needed.overflow, bytes.count == needed.partialValue else {
            self.init(failure: .shapeMismatch("[Tensor] \(bytes.count) bytes do not fill shape \(shape) of \(dtype)"))
            return
        }
        let t = withInt32(shape) { s, n in
            Tensor.op { cmlx_array_from_data($0, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, s, n, dtype.cValue) }
        }
        self.init(taking: t)
    }

    /// A tensor over a copy of `values` (row-major), or a failed tensor when they do not fill `shape`.
    private static func copying<T>(_ values: [T], shape: [Int], sourceType: DType) -> Tensor {
        guard let n = elementCount(shape), n == values.count else {
            return Tensor(failure: .shapeMismatch("[Tensor] \(values.count) values do not fill shape \(shape)"))
        }
        return values.withUnsafeBytes { Tensor(bytes: $0, shape: shape, dtype: sourceType) }
    }

    /// The product of `shape`, or nil when an entry is negative or the product overflows `Int`.
    static func elementCount(_ shape: [Int]) -> Int? {
        var n = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            n = p
        }
        return n
    }

    /// Shares another tensor's array through a second handle (MLX arrays are reference counted).
    convenience init(taking other: Tensor) {
        if let h = other.handle {
            guard let copy = cmlx_array_new_handle(h) else {
                self.init(failure: .mlx(String(cString: cmlx_last_error())))
                return
            }
            self.init(owning: copy)
            return
        }
        self.init(failure: other.failure ?? .mlx(String(cString: cmlx_last_error())))
    }

    // MARK: queries

    public var shape: [Int] {
        guard let handle else { return [] }
        return (0..<cmlx_array_ndim(handle)).map { axis in
            var d: Int32 = 0
            return cmlx_array_dim(&d, handle, axis) == 0 ? Int(d) : 0  // axis < ndim: cannot fail
        }
    }

    public var ndim: Int { handle.map { Int(cmlx_array_ndim($0)) } ?? 0 }
    /// Number of elements.
    public var count: Int { handle.map { Int(cmlx_array_size($0)) } ?? 0 }
    /// The element type; a failed tensor reports float32. A healthy tensor always has a `DType`:
    /// the shim refuses to hand out arrays of other MLX types (they become failed tensors).
    public var dtype: DType { handle.flatMap { DType(cmlx_array_dtype($0)) } ?? .float32 }

    /// Size of `axis` (negative counts from the end), or 0 when the tensor has no such axis or has
    /// failed: never traps, and ops check `failure` before trusting it.
    public func dim(_ axis: Int) -> Int {
        let s = shape
        let i = axis < 0 ? axis + s.count : axis
        return s.indices.contains(i) ? s[i] : 0
    }

    /// The failure of a failed tensor (only meaningful when `handle` is nil).
    var error: TensorError { failure ?? .mlx("tensor has no value") }

    /// Throws the failure this tensor carries, or returns it unchanged.
    @discardableResult
    public func checked() throws -> Tensor {
        if let failure { throw failure }
        return self
    }

    // MARK: evaluation and host copies

    /// Computes the value now (MLX is lazy).
    @discardableResult
    public func eval() throws -> Tensor {
        guard let handle else { throw error }
        try check(cmlx_array_eval(handle))
        return self
    }

    /// Evaluates several tensors in one graph pass.
    public static func eval(_ tensors: [Tensor]) throws {
        for t in tensors { try t.checked() }
        try withHandles(tensors) { try check(cmlx_eval_many($0, tensors.count)) }
    }

    /// Copies the elements out as `T` after converting to `dtype`.
    func hostCopy<T>(as dtype: DType, _ type: T.Type) throws -> [T] {
        let converted = self.dtype == dtype ? self : asType(dtype)
        guard let handle = converted.handle else { throw converted.error }
        let n = converted.count
        return try [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            try check(cmlx_array_copy_to(handle, buffer.baseAddress, n * MemoryLayout<T>.stride))
            initialized = n
        }
    }

    public func toArray() throws -> [Float] { try hostCopy(as: .float32, Float.self) }
    public func toInt32Array() throws -> [Int32] { try hostCopy(as: .int32, Int32.self) }
    public func toInt64Array() throws -> [Int64] { try hostCopy(as: .int64, Int64.self) }
    public func toBoolArray() throws -> [Bool] { try hostCopy(as: .uint8, UInt8.self).map { $0 != 0 } }

    /// The raw bytes in the tensor's own dtype.
    public func toBytes() throws -> [UInt8] {
        guard let handle else { throw error }
        let n = count * dtype.size
        return try [UInt8](unsafeUninitializedCapacity: n) { buffer, initialized in
            try check(cmlx_array_copy_to(handle, buffer.baseAddress, n))
            initialized = n
        }
    }

    /// The single element of a one-element tensor.
    public func item() throws -> Float {
        try checked()
        guard count == 1 else { throw TensorError.shapeMismatch("[item] tensor of shape \(shape) has \(count) elements, not 1") }
        return try toArray()[0]
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        if let failure { return "Tensor(failed: \(failure))" }
        return "Tensor(shape: \(shape), dtype: \(dtype))"
    }
}
