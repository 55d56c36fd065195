// Reference: opensora/acceleration/communications.py@v1.2.0; spec/parallelism.md §1–§2.
import Foundation
import MLXTensor

/// The processes one kind of parallelism spans (the sequence- or data-parallel ranks), with the
/// collectives the models need. A group of one process makes every collective an identity.
///
/// MLX's ring backend cannot split its group, so a proper subgroup of a ring world is *emulated*:
/// its collectives run over the world (an all-gather) and keep the members' parts. Backends that
/// split (MPI, NCCL) get a native subgroup.
public final class ParallelGroup: @unchecked Sendable {
    /// This process's position in the group, and the group's size.
    public let rank: Int
    public let size: Int
    /// The world ranks of the members, in group-rank order.
    public let members: [Int]
    let process: ProcessGroup?
    /// Set when `process` is the whole world standing in for a subgroup it cannot split off.
    let emulatedOver: ProcessGroup?
    /// Calls and bytes this process's collectives in the group sent.
    public let traffic = CommunicationTraffic()

    /// This process alone.
    public static let single = ParallelGroup(rank: 0, members: [0], process: nil, emulatedOver: nil)

    init(rank: Int, members: [Int], process: ProcessGroup?, emulatedOver: ProcessGroup?) {
        self.rank = rank
        self.size = members.count
        self.members = members
        self.process = process
        self.emulatedOver = emulatedOver
    }

    /// The whole world as one group.
    public convenience init(world: ProcessGroup) {
        self.init(rank: world.rank, members: Array(0..<world.size), process: world.size > 1 ? world : nil, emulatedOver: nil)
    }

    /// The subgroup of `world` with these members (which must include this process).
    public static func subgroup(of world: ProcessGroup, members: [Int]) throws -> ParallelGroup {
        guard let rank = members.firstIndex(of: world.rank) else {
            throw OpenSoraError.invalidConfiguration("parallel: rank \(world.rank) is not a member of group \(members)")
        }
        if members.count == 1 { return ParallelGroup(rank: 0, members: members, process: nil, emulatedOver: nil) }
        if members.count == world.size { return ParallelGroup(world: world) }
        if let native = try? world.split(color: members.min()!, key: rank) {
            return ParallelGroup(rank: rank, members: members, process: native, emulatedOver: nil)
        }
        return ParallelGroup(rank: rank, members: members, process: world, emulatedOver: world)
    }

    public var isSingle: Bool { size == 1 }

    // MARK: collectives (forward values; their gradients are in ParallelGroup+Gradients)

    /// The element-wise sum over the group's processes.
    public func allSum(_ x: Tensor) -> Tensor {
        guard let process else { return x }
        PeerWatchdog.expect("a sum of \(x.shape) over ranks \(members)")
        guard emulatedOver != nil else {
            traffic.record("all_sum", bytes: 2 * (process.size - 1) * x.count * x.dtype.size / process.size)
            return process.allSum(x)
        }
        return gatheredParts(x).sum(axes: [0])
    }

    /// Every member's `x` stacked in group-rank order: [size, ...x.shape].
    public func gatheredParts(_ x: Tensor) -> Tensor {
        guard let process else { return x.expandedDims(0) }
        PeerWatchdog.expect("a gather of \(x.shape) from ranks \(members)")
        traffic.record("all_gather", bytes: (process.size - 1) * x.count * x.dtype.size)
        let all = process.allGather(x.expandedDims(0))
        guard emulatedOver != nil else { return all }
        return all.take(Tensor(int32: members.map(Int32.init)), axis: 0)
    }

    /// Every member's `x` concatenated along `axis` in group-rank order.
    public func allGather(_ x: Tensor, axis: Int) -> Tensor {
        guard !isSingle else { return x }
        let parts = gatheredParts(x)
        return Tensor.concatenate((0..<size).map { parts[$0] }, axis: axis)
    }

    /// Chunk `rank` of `size` equal chunks of `x` along `axis`.
    public func localChunk(_ x: Tensor, axis: Int) -> Tensor {
        guard !isSingle else { return x }
        return x.split(parts: size, axis: axis)[rank]
    }

    /// Ulysses' exchange: `x` split into `size` chunks along `scatterAxis`, chunk j sent to rank j,
    /// the received chunks concatenated along `gatherAxis` in source-rank order.
    ///
    /// MLX has no all-to-all, and a send/receive pair cannot be ordered inside one lazy graph (its
    /// tape decides which runs first, and two ranks that both send first deadlock), so the chunks
    /// are picked from an all-gather: `size`× the bytes of a true all-to-all, never a deadlock.
    public func allToAll(_ x: Tensor, scatterAxis: Int, gatherAxis: Int) -> Tensor {
        guard !isSingle else { return x }
        let all = gatheredParts(x)
        let mine = (0..<size).map { all[$0].split(parts: size, axis: scatterAxis)[rank] }
        return Tensor.concatenate(mine, axis: gatherAxis)
    }
}

extension ParallelGroup {
    /// Rank 0's `values` on every rank (others pass anything): how one answer that must not be
    /// drawn twice (an LLM's refined prompts) reaches the whole group. Sent as JSON bytes by summing.
    public func shareFromRankZero<T: Codable>(_ values: T) throws -> T {
        guard !isSingle else { return values }
        let bytes = rank == 0 ? [UInt8](try JSONEncoder().encode(values)) : []
        let count = Int(try allSum(Tensor(int32: [Int32(bytes.count)])).toArray()[0])
        let padded = (bytes + Array(repeating: 0, count: count - bytes.count)).map(Int32.init)
        let received = try allSum(Tensor(int32: padded)).toArray().map { UInt8(Int($0)) }
        return try JSONDecoder().decode(T.self, from: Data(received))
    }
}
