// Reference: spec/parallelism.md §3.4 (world mean with SP's ×p convention), §5 (ZeRO-2 reduce
// buckets of 12 M elements, equal weighting of ranks).
import MLXTensor

extension ParallelGroup {
    /// The mean over the group's ranks of every named tensor (gradients), reduced in flattened
    /// buckets of about `bucketElements` float32 values.
    ///
    /// Collectives match up by order: every rank must issue the same ones in the same sequence, so
    /// buckets follow the names' sorted order (a dictionary's order differs from process to
    /// process) and each bucket's sum waits for the previous one.
    public func mean(of named: [String: Tensor], bucketElements: Int = 12 << 20) -> [String: Tensor] {
        guard !isSingle else { return named }
        let names = named.keys.sorted()
        var out = [String: Tensor](), bucket = [String](), filled = 0
        var previous: Tensor? = nil
        func flush() {
            guard !bucket.isEmpty else { return }
            var flat = Tensor.concatenate(bucket.map { named[$0]!.asType(.float32).reshaped(-1) })
            // A data dependency on the previous bucket's sum fixes the order the ranks run them in.
            if let previous { flat = flat + previous[0..<1] * 0 }
            let summed = allSum(flat) / Float(size)
            previous = summed
            var offset = 0
            for name in bucket {
                let g = named[name]!
                out[name] = summed[offset..<(offset + g.count)].reshaped(g.shape).asType(g.dtype)
                offset += g.count
            }
            bucket = []
            filled = 0
        }
        for name in names {
            bucket.append(name)
            filled += named[name]!.count
            if filled >= bucketElements { flush() }
        }
        flush()
        return out
    }
}
