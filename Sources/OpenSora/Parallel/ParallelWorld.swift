// Reference: mlx/distributed (ring: MLX_RANK + MLX_HOSTFILE; nccl: MLX_RANK, MLX_WORLD_SIZE,
// NCCL_HOST_IP, NCCL_PORT; mpi: mpirun's variables); scripts/inference.py@v1.2.0 (world > 1 → SP).
import Foundation
import MLXTensor

/// The processes started together by `opensora launch` (or MLX's own launcher, or mpirun), joined
/// once per process. Outside a launch it is one process and every collective is an identity.
public final class ParallelWorld: @unchecked Sendable {
    public let group: ParallelGroup
    public let process: ProcessGroup?
    public let watchdog: PeerWatchdog?

    public var rank: Int { group.rank }
    public var size: Int { group.size }
    /// Rank 0 writes files and prints; the others compute the same things quietly.
    public var isWriter: Bool { rank == 0 }

    nonisolated(unsafe) private static var joined: ParallelWorld?

    private init(group: ParallelGroup, process: ProcessGroup?, watchdog: PeerWatchdog?) {
        self.group = group
        self.process = process
        self.watchdog = watchdog
    }

    /// The world this process belongs to: joined on first use, a single process when no launcher
    /// set the environment up. Joining waits for every rank to connect, under the peer timeout.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ParallelWorld {
        if let joined { return joined }
        let world = try join(environment: environment)
        joined = world
        return world
    }

    static func join(environment env: [String: String]) throws -> ParallelWorld {
        guard let backend = launchedBackend(env) else { return ParallelWorld(group: .single, process: nil, watchdog: nil) }
        let rank = Int(env["MLX_RANK"] ?? env["OMPI_COMM_WORLD_RANK"] ?? "0") ?? 0
        let expected = Int(env["MLX_WORLD_SIZE"] ?? env["OMPI_COMM_WORLD_SIZE"] ?? "") ?? hostfileSize(env["MLX_HOSTFILE"]) ?? 0
        let timeout = try peerTimeout(env)
        let watchdog = PeerWatchdog(rank: rank, size: expected, timeout: timeout)
        watchdog.start()
        let process: ProcessGroup
        do { process = try ProcessGroup(backend: backend, strict: true) } catch {
            watchdog.stop()
            throw OpenSoraError.invalidConfiguration("rank \(rank): cannot join the \(backend) process group: \(error)")
        }
        // A first collective: every rank is connected and agrees on the size.
        watchdog.expect("the first exchange with every rank")
        let sizes = try process.allGather(Tensor(int32: [Int32(process.size)])).toArray()
        watchdog.settle()
        guard sizes.allSatisfy({ Int($0) == process.size }), expected == 0 || expected == process.size else {
            throw OpenSoraError.invalidConfiguration("rank \(process.rank): the launch expected \(expected) ranks, the \(backend) group has \(process.size)")
        }
        return ParallelWorld(group: ParallelGroup(world: process), process: process, watchdog: watchdog)
    }

    /// The backend a launcher prepared, or nil for a plain process.
    static func launchedBackend(_ env: [String: String]) -> String? {
        if let explicit = env["OPENSORA_DISTRIBUTED_BACKEND"], !explicit.isEmpty { return explicit }
        if env["MLX_RANK"] != nil, env["MLX_HOSTFILE"] != nil { return "ring" }
        if env["MLX_RANK"] != nil, env["NCCL_HOST_IP"] != nil { return "nccl" }
        if env["OMPI_COMM_WORLD_SIZE"] != nil { return "mpi" }
        return nil
    }

    /// Seconds a rank waits on its peers before giving up (OPENSORA_PEER_TIMEOUT, default 600).
    static func peerTimeout(_ env: [String: String]) throws -> TimeInterval {
        guard let text = env["OPENSORA_PEER_TIMEOUT"] else { return 600 }
        guard let value = Double(text), value > 0, value.isFinite else {
            throw OpenSoraError.invalidConfiguration("OPENSORA_PEER_TIMEOUT '\(text)' must be a positive number of seconds")
        }
        return value
    }

    static func hostfileSize(_ path: String?) -> Int? {
        guard let path, let data = FileManager.default.contents(atPath: path),
              let hosts = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return nil }
        return hosts.count
    }
}
