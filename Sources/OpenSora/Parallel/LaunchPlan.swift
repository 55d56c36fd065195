// Reference: python/mlx/_distributed_utils/launch.py (mlx.launch: hostfile format, ring addresses,
// MLX_RANK / MLX_HOSTFILE per rank, the ssh script); mlx/distributed/nccl (NCCL_HOST_IP, NCCL_PORT).
import Foundation

/// What `opensora launch` starts: one process per rank, each with the environment MLX's backend
/// reads to join the others. Local ranks run directly; ranks on other hosts over ssh.
public struct LaunchPlan: Equatable, Sendable {
    public enum Backend: String, Sendable, CaseIterable { case ring, nccl }

    /// One rank: where it runs and what it is told.
    public struct Rank: Equatable, Sendable {
        public let rank: Int
        /// nil = this machine.
        public let sshHost: String?
        public let environment: [String: String]
    }

    public let backend: Backend
    public let ranks: [Rank]
    /// The ring's addresses, one list per rank (what MLX_HOSTFILE holds).
    public let ringAddresses: [[String]]

    /// `count` ranks on this machine, talking over loopback on the given free ports.
    public static func local(count: Int, backend: Backend, ports: [Int], peerTimeout: Double?) throws -> LaunchPlan {
        guard count >= 1 else { throw OpenSoraError.invalidInput("launch: -n \(count) must be at least 1") }
        guard ports.count >= count else { throw OpenSoraError.invalidInput("launch: \(ports.count) ports for \(count) ranks") }
        let hosts = (0..<count).map { _ in LaunchHost(ssh: nil, ips: ["127.0.0.1"]) }
        return try plan(hosts: hosts, backend: backend, ports: Array(ports.prefix(count)), peerTimeout: peerTimeout,
                        threadsPerRank: max(1, ProcessInfo.processInfo.activeProcessorCount / count))
    }

    /// One rank per host of an MLX hostfile, ports counted up from `startingPort`.
    public static func hosts(_ hosts: [LaunchHost], backend: Backend, startingPort: Int, peerTimeout: Double?) throws -> LaunchPlan {
        guard !hosts.isEmpty else { throw OpenSoraError.invalidInput("launch: the hostfile lists no hosts") }
        guard (1...65535).contains(startingPort), startingPort + hosts.count - 1 <= 65535 else {
            throw OpenSoraError.invalidInput("launch: --starting-port \(startingPort) leaves no room for \(hosts.count) ports (accepted: 1…65535)")
        }
        return try plan(hosts: hosts, backend: backend, ports: (0..<hosts.count).map { startingPort + $0 }, peerTimeout: peerTimeout,
                        threadsPerRank: nil)
    }

    private static func plan(hosts: [LaunchHost], backend: Backend, ports: [Int], peerTimeout: Double?,
                             threadsPerRank: Int?) throws -> LaunchPlan {
        if let peerTimeout, !(peerTimeout > 0 && peerTimeout.isFinite) {
            throw OpenSoraError.invalidInput("launch: --peer-timeout \(peerTimeout) must be a positive number of seconds")
        }
        let addresses = zip(hosts, ports).map { host, port in [host.ips[0] + ":\(port)"] }
        let ranks = hosts.indices.map { i -> Rank in
            var env = ["MLX_RANK": "\(i)", "OPENSORA_DISTRIBUTED_BACKEND": backend.rawValue, "MLX_WORLD_SIZE": "\(hosts.count)"]
            if backend == .nccl {
                env["NCCL_HOST_IP"] = hosts[0].ips[0]
                env["NCCL_PORT"] = "\(ports[0])"
            }
            if let peerTimeout { env["OPENSORA_PEER_TIMEOUT"] = "\(peerTimeout)" }
            // Ranks sharing this machine share its cores (OpenBLAS would start one thread per core each).
            if let threadsPerRank { env["OPENBLAS_NUM_THREADS"] = "\(threadsPerRank)" }
            return Rank(rank: i, sshHost: hosts[i].ssh, environment: env)
        }
        return LaunchPlan(backend: backend, ranks: ranks, ringAddresses: addresses)
    }

    /// The MLX_HOSTFILE contents for the ring backend.
    public var ringHostfile: String {
        let data = try! JSONSerialization.data(withJSONObject: ringAddresses)
        return String(decoding: data, as: UTF8.self)
    }

    /// The shell script a remote rank runs over ssh (as mlx.launch does it): change to the same
    /// directory, export the rank's variables, write the ring hostfile to a temp file, exec.
    public func remoteScript(for rank: Rank, command: [String], directory: String) -> String {
        var script = "cd \(shellQuoted(directory)) || exit 1; "
        for (key, value) in rank.environment.sorted(by: { $0.key < $1.key }) { script += "export \(key)=\(shellQuoted(value)); " }
        if backend == .ring {
            script += "MLX_HOSTFILE=$(mktemp) || exit 1; echo \(shellQuoted(ringHostfile)) > \"$MLX_HOSTFILE\"; export MLX_HOSTFILE; "
        }
        return script + "exec " + command.map(shellQuoted).joined(separator: " ")
    }
}

/// One entry of MLX's hostfile: `{"ssh": "host", "ips": ["10.0.0.2"]}` (the ring needs an IP).
public struct LaunchHost: Equatable, Sendable {
    public let ssh: String?
    public let ips: [String]

    public init(ssh: String?, ips: [String]) {
        self.ssh = ssh
        self.ips = ips
    }

    /// The hosts of an MLX hostfile: a JSON list of hosts, or `{"backend": …, "hosts": [...]}`.
    public static func parse(hostfile data: Data, path: String) throws -> (hosts: [LaunchHost], backend: String?) {
        func bad(_ why: String) -> OpenSoraError {
            .invalidInput("hostfile '\(path)': \(why) (accepted: MLX's format, [{\"ssh\": \"host\", \"ips\": [\"10.0.0.1\"]}, …])")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) else { throw bad("not JSON") }
        var backend: String? = nil
        let list: [Any]
        if let object = json as? [String: Any] {
            guard let hosts = object["hosts"] as? [Any] else { throw bad("no \"hosts\" list") }
            list = hosts
            backend = (object["backend"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        } else if let hosts = json as? [Any] {
            list = hosts
        } else {
            throw bad("neither a list of hosts nor an object with \"hosts\"")
        }
        let hosts = try list.enumerated().map { i, entry -> LaunchHost in
            guard let host = entry as? [String: Any], let ssh = host["ssh"] as? String, !ssh.isEmpty else {
                throw bad("host \(i) has no \"ssh\" name")
            }
            let ips = (host["ips"] as? [String]) ?? []
            guard let ip = ips.first, !ip.isEmpty else {
                throw bad("host \(i) ('\(ssh)') lists no \"ips\"; the ring backend connects to IP addresses")
            }
            return LaunchHost(ssh: ssh, ips: ips)
        }
        return (hosts, backend)
    }
}

/// `text` as one single-quoted POSIX shell word.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
