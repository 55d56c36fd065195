import CMLX

/// A group of cooperating processes on MLX's distributed runtime (ring over TCP, MPI, NCCL).
/// A single process gets a group of size 1 whose collectives are identities.
public final class ProcessGroup: @unchecked Sendable {
    let raw: cmlx_group

    /// Joins the group the launcher set up (`backend`: "any", "ring", "mpi", "nccl"). With
    /// `strict`, failing to find one is an error instead of a singleton group.
    public init(backend: String = "any", strict: Bool = false) throws {
        var g: cmlx_group? = nil
        try check(cmlx_group_init(&g, strict ? 1 : 0, backend))
        raw = g!
    }

    private init(raw: cmlx_group) { self.raw = raw }
    deinit { cmlx_group_free(raw) }

    public static func isAvailable(backend: String) -> Bool { cmlx_distributed_available(backend) != 0 }

    public var rank: Int { Int(cmlx_group_rank(raw)) }
    public var size: Int { Int(cmlx_group_size(raw)) }

    /// Processes with the same `color` form one subgroup, ordered by `key` (rank when negative).
    public func split(color: Int, key: Int = -1) throws -> ProcessGroup {
        var g: cmlx_group? = nil
        try check(cmlx_group_split(&g, raw, cInt(color), cInt(key)))
        return ProcessGroup(raw: g!)
    }

    public func allSum(_ x: Tensor) -> Tensor { Tensor.op(x) { cmlx_all_sum($0, x.handle, raw) } }
    public func allMax(_ x: Tensor) -> Tensor { Tensor.op(x) { cmlx_all_max($0, x.handle, raw) } }
    /// Concatenates every rank's `x` along axis 0, in rank order.
    public func allGather(_ x: Tensor) -> Tensor { Tensor.op(x) { cmlx_all_gather($0, x.handle, raw) } }
    /// Sends `x` to `rank`; evaluate the returned tensor to perform the send.
    public func send(_ x: Tensor, to rank: Int) -> Tensor { Tensor.op(x) { cmlx_send($0, x.handle, cInt(rank), raw) } }

    public func receive(shape: [Int], dtype: DType, from rank: Int) -> Tensor {
        withInt32(shape) { s, n in Tensor.op { cmlx_recv($0, s, n, dtype.cValue, cInt(rank), raw) } }
    }
}
