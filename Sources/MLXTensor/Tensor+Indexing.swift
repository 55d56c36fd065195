import CMLX

/// One axis of a subscript: `x[0, 1..<3, .all, .stride(0, nil, 2), .newAxis]`.
public enum TensorIndex: Sendable {
    case index(Int)
    case range(start: Int?, end: Int?, step: Int)
    /// The whole axis (spelled `.all` in subscripts).
    case whole
    /// A new axis of size 1 (spelled `.newAxis`).
    case insertedAxis
}

public protocol TensorIndexConvertible { var tensorIndex: TensorIndex { get } }
extension TensorIndex: TensorIndexConvertible { public var tensorIndex: TensorIndex { self } }
extension Int: TensorIndexConvertible { public var tensorIndex: TensorIndex { .index(self) } }
extension Range<Int>: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { .range(start: lowerBound, end: upperBound, step: 1) }
}
extension ClosedRange<Int>: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { .range(start: lowerBound, end: upperBound + 1, step: 1) }
}
extension PartialRangeFrom<Int>: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { .range(start: lowerBound, end: nil, step: 1) }
}
extension PartialRangeUpTo<Int>: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { .range(start: nil, end: upperBound, step: 1) }
}

extension Tensor {
    /// NumPy-style basic indexing; negative positions count from the end, missing trailing axes
    /// are taken whole, and an integer index drops its axis.
    public subscript(_ indices: TensorIndexConvertible...) -> Tensor { self[indices.map(\.tensorIndex)] }

    public subscript(_ indices: [TensorIndex]) -> Tensor {
        guard failure == nil else { return self }
        let s = shape
        let consumed = indices.filter { if case .insertedAxis = $0 { false } else { true } }.count
        guard consumed <= s.count else {
            return Tensor(failure: .invalidArgument("[index] \(consumed) indices for a tensor of shape \(s)"))
        }
        var start = [Int](), stop = [Int](), strides = [Int]()
        var viewShape = [Int](), resultShape = [Int]()
        var axis = 0
        for index in indices {
            switch index {
            case .insertedAxis:
                resultShape.append(1)
                continue
            case .whole:
                start.append(0); stop.append(s[axis]); strides.append(1)
                viewShape.append(s[axis]); resultShape.append(s[axis])
            case .index(let i):
                let r = i < 0 ? i + s[axis] : i
                guard r >= 0, r < s[axis] else {
                    return Tensor(failure: .invalidArgument("[index] index \(i) out of range for axis \(axis) of size \(s[axis])"))
                }
                start.append(r); stop.append(r + 1); strides.append(1); viewShape.append(1)
            case .range(let a, let b, let step):
                guard step > 0 else {
                    return Tensor(failure: .invalidArgument("[index] step \(step) on axis \(axis): only positive steps (use flipped(axis:))"))
                }
                let n = s[axis]
                func resolve(_ v: Int?, _ d: Int) -> Int {
                    guard let v else { return d }
                    return Swift.min(Swift.max(v < 0 ? v + n : v, 0), n)
                }
                let lo = resolve(a, 0), hi = Swift.max(resolve(b, n), lo)
                start.append(lo); stop.append(hi); strides.append(step)
                let len = (hi - lo + step - 1) / step
                viewShape.append(len); resultShape.append(len)
            }
            axis += 1
        }
        for rest in axis..<s.count {
            start.append(0); stop.append(s[rest]); strides.append(1)
            viewShape.append(s[rest]); resultShape.append(s[rest])
        }
        let sliced = withInt32(start) { a, n in
            withInt32(stop) { b, _ in withInt32(strides) { c, _ in Tensor.op(self) { cmlx_slice($0, self.handle, a, b, c, n) } } }
        }
        return viewShape == resultShape ? sliced : sliced.reshaped(resultShape)
    }

    /// A copy of `self` with the region [start, stop) (per axis, step 1) replaced by `update`.
    public func updatingSlice(start: [Int], with update: Tensor) -> Tensor {
        if let f = Tensor.failed(self, update) { return f }
        let s = update.shape
        guard start.count == ndim, s.count == ndim else {
            return Tensor(failure: .shapeMismatch("[slice_update] start \(start) / update \(s) do not match \(ndim)-D tensor"))
        }
        let stop = zip(start, s).map { $0 + $1 }
        return withInt32(start) { a, n in
            withInt32(stop) { b, _ in
                withInt32(Array(repeating: 1, count: ndim)) { c, _ in
                    Tensor.op(self, update) { cmlx_slice_update($0, self.handle, update.handle, a, b, c, n) }
                }
            }
        }
    }
}

/// Leading-dot spellings inside mixed subscripts: `x[0, .all, .stride(1, nil, 2), .newAxis]`.
extension TensorIndexConvertible where Self == TensorIndex {
    public static var all: TensorIndex { TensorIndex.whole }
    public static var newAxis: TensorIndex { TensorIndex.insertedAxis }
    public static func stride(_ start: Int?, _ end: Int?, _ step: Int) -> TensorIndex {
        TensorIndex.range(start: start, end: end, step: step)
    }
}
