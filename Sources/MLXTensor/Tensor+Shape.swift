import CMLX

/// Reshaping, permuting, joining and gathering.
extension Tensor {
    /// New shape with the same element count; one entry may be -1.
    public func reshaped(_ shape: [Int]) -> Tensor {
        withInt32(shape) { s, n in Tensor.op(self) { cmlx_reshape($0, self.handle, s, n) } }
    }

    public func reshaped(_ shape: Int...) -> Tensor { reshaped(shape) }

    public func transposed(_ axes: [Int]) -> Tensor {
        withInt32(axes) { a, n in Tensor.op(self) { cmlx_transpose($0, self.handle, a, n) } }
    }

    public func transposed(_ axes: Int...) -> Tensor { transposed(axes) }

    /// Reverses all axes.
    public var T: Tensor { transposed(Array((0..<ndim).reversed())) }

    public func swappedAxes(_ a: Int, _ b: Int) -> Tensor {
        if let f = Tensor.failed(self) { return f }
        var axes = Array(0..<ndim)
        let i = a < 0 ? a + ndim : a, j = b < 0 ? b + ndim : b
        guard axes.indices.contains(i), axes.indices.contains(j) else {
            return Tensor(failure: .invalidArgument("[swapaxes] axes (\(a), \(b)) out of range for \(ndim)-D tensor"))
        }
        axes.swapAt(i, j)
        return transposed(axes)
    }

    public func expandedDims(_ axis: Int) -> Tensor {
        Tensor.op(self) { cmlx_expand_dims($0, self.handle, cInt(axis)) }
    }

    /// Removes the given size-1 axes (all of them when none are named).
    public func squeezed(_ axes: [Int] = []) -> Tensor {
        withInt32(axes) { a, n in Tensor.op(self) { cmlx_squeeze($0, self.handle, a, n) } }
    }

    public func broadcast(to shape: [Int]) -> Tensor {
        withInt32(shape) { s, n in Tensor.op(self) { cmlx_broadcast_to($0, self.handle, s, n) } }
    }

    /// Flattens axes start...end into one.
    public func flattened(_ start: Int = 0, _ end: Int = -1) -> Tensor {
        if let f = Tensor.failed(self) { return f }
        let s = shape
        let a = start < 0 ? start + s.count : start, b = end < 0 ? end + s.count : end
        guard a >= 0, b < s.count, a <= b else { return s.isEmpty ? reshaped([1]) : self }
        return reshaped(Array(s[..<a]) + [s[a...b].reduce(1, *)] + Array(s[(b + 1)...]))
    }

    public static func concatenate(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        Tensor.op(tensors) { out in withHandles(tensors) { cmlx_concatenate(out, $0, tensors.count, cInt(axis)) } }
    }

    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        Tensor.op(tensors) { out in withHandles(tensors) { cmlx_stack(out, $0, tensors.count, cInt(axis)) } }
    }

    /// Splits into `parts` equal pieces along `axis`.
    public func split(parts: Int, axis: Int = 0) -> [Tensor] {
        if let f = Tensor.failed(self) { return [f] }
        guard (-ndim..<ndim).contains(axis) else {
            return [Tensor(failure: .invalidArgument("[split] axis \(axis) out of range for shape \(shape)"))]
        }
        let n = dim(axis)
        guard parts > 0, n % parts == 0 else {
            return [Tensor(failure: .shapeMismatch("[split] axis of size \(n) does not split into \(parts) equal parts"))]
        }
        return split(at: (1..<parts).map { $0 * n / parts }, axis: axis)
    }

    /// Splits before each of the given indices along `axis`.
    public func split(at indices: [Int], axis: Int = 0) -> [Tensor] {
        guard let handle else { return [self] }
        let pieces = ArrayVector()
        let code = withInt32(indices) { i, n in cmlx_split(pieces.raw, handle, i, n, cInt(axis)) }
        if code != 0 { return [Tensor(failure: .mlx(String(cString: cmlx_last_error())))] }
        return pieces.tensors
    }

    /// Constant padding with (before, after) counts per axis; missing trailing axes get none.
    public func padded(_ widths: [(Int, Int)], value: Float = 0) -> Tensor {
        if let f = Tensor.failed(self) { return f }
        guard widths.count <= ndim else {
            return Tensor(failure: .invalidArgument("[pad] \(widths.count) pad widths for a \(ndim)-D tensor"))
        }
        let full = widths + Array(repeating: (0, 0), count: ndim - widths.count)
        let v = scalar(value)
        return withInt32(full.map(\.0)) { lo, n in
            withInt32(full.map(\.1)) { hi, _ in Tensor.op(self, v) { cmlx_pad($0, self.handle, lo, hi, n, v.handle) } }
        }
    }

    /// Gathers slices along `axis` at integer `indices` (any shape; it replaces that axis).
    public func take(_ indices: Tensor, axis: Int) -> Tensor {
        Tensor.op(self, indices) { cmlx_take($0, self.handle, indices.handle, cInt(axis)) }
    }

    public func takeAlong(_ indices: Tensor, axis: Int) -> Tensor {
        Tensor.op(self, indices) { cmlx_take_along_axis($0, self.handle, indices.handle, cInt(axis)) }
    }

    /// Repeats each element `count` times along `axis` (PyTorch `repeat_interleave`).
    public func repeated(_ count: Int, axis: Int) -> Tensor {
        Tensor.op(self) { cmlx_repeat($0, self.handle, cInt(count), cInt(axis)) }
    }

    /// Repeats the whole tensor (PyTorch `repeat`).
    public func tiled(_ reps: [Int]) -> Tensor {
        withInt32(reps) { r, n in Tensor.op(self) { cmlx_tile($0, self.handle, r, n) } }
    }

    public func flipped(axis: Int) -> Tensor {
        Tensor.op(self) { cmlx_flip($0, self.handle, cInt(axis)) }
    }

    /// A row-major materialised copy (a strided view otherwise).
    public func contiguous() -> Tensor {
        Tensor.op(self) { cmlx_contiguous($0, self.handle) }
    }
}
