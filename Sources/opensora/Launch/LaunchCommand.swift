import ArgumentParser
import Foundation
import MLXTensor
import OpenSora

/// `opensora launch`: N cooperating processes on MLX's distributed runtime, started without
/// torchrun or Python. Local ranks talk over loopback; a hostfile spreads them over machines.
struct LaunchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "launch",
        abstract: "Run a command as N cooperating processes (sequence-parallel generation, data-parallel training).",
        discussion: """
        The command after `--` is an opensora subcommand (or any executable). Every rank runs it; rank 0
        writes the files. Several ranks make `generate` sequence-parallel and `train` data-parallel.
        Examples:
          opensora launch -n 2 -- generate "a red circle moving left"
          opensora launch -n 2 -- train run.yaml --data-path data.csv
          opensora launch --hostfile hosts.json -- train run.yaml     (MLX's hostfile format, one rank per host, over ssh)
        """)

    @Option(name: .short, help: "Processes on this machine.")
    var n: Int?

    @Option(help: "An MLX hostfile: [{\"ssh\": \"host\", \"ips\": [\"10.0.0.1\"]}, …]; one rank per host.")
    var hostfile: String?

    @Option(help: "Communication backend: ring (TCP, CPU builds) or nccl (CUDA builds).",
            transform: { try LaunchBackendChoice.parse($0) })
    var backend: LaunchPlan.Backend = .ring

    @Option(help: "First TCP port of a hostfile launch (one per rank).")
    var startingPort = 32323

    @Option(help: "Seconds a rank waits for its peers in one exchange before it gives up with an error.")
    var peerTimeout: Double?

    @Argument(parsing: .postTerminator, help: "The command every rank runs.")
    var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("give the command after `--`, e.g. `opensora launch -n 2 -- generate \"a cat\"`") }
        guard (n == nil) != (hostfile == nil) else { throw ValidationError("give either -n N (this machine) or --hostfile FILE") }
        if let n, n < 1 { throw ValidationError("-n \(n) must be at least 1") }
    }

    func run() throws {
        let plan: LaunchPlan
                if let hostfile {
            guard let data = FileManager.default.contents(atPath: hostfile) else {
                throw OpenSoraError.invalidInput("hostfile '\(hostfile)' cannot be read")
            }
            let parsed = try LaunchHost.parse(hostfile: data, path: hostfile)
            let chosen = try parsed.backend.map { try LaunchBackendChoice.parse($0) } ?? backend
            plan = try .hosts(parsed.hosts, backend: chosen, startingPort: startingPort, peerTimeout: peerTimeout)
        } else {
            plan = try .local(count: n ?? 1, backend: backend, ports: try FreePorts.loopback(n ?? 1), peerTimeout: peerTimeout)
        }
        let ringHostfile = try plan.backend == .ring && plan.ranks.contains { $0.sshHost == nil } ? writeRingHostfile(plan) : nil
        defer { ringHostfile.map { try? FileManager.default.removeItem(atPath: $0) } }
        let supervisor = RankSupervisor(commands: commands(plan, ringHostfile: ringHostfile))
        let forward = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig)
            source.setEventHandler { supervisor.signal(sig) }
            source.resume()
            return source
        }
        defer { forward.forEach { $0.cancel() } }
        do { try supervisor.run() } catch let failure as RankSupervisor.Failure {
            FileHandle.standardError.write(Data("opensora \(failure)\n".utf8))
            throw ExitCode(failure.signalled ? 128 + failure.status : failure.status)
        }
    }

    /// Each rank's process: this binary for an opensora subcommand, else the named executable; a
    /// remote rank goes through ssh with its environment in the script.
    func commands(_ plan: LaunchPlan, ringHostfile: String?) -> [(executable: URL, arguments: [String], environment: [String: String])] {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let subcommands = OpenSoraCommand.configuration.subcommands.map { $0.configuration.commandName ?? "" }
        let local: (executable: URL, arguments: [String]) = subcommands.contains(command[0])
            ? (me, command) : (URL(fileURLWithPath: "/usr/bin/env"), command)
        return plan.ranks.map { rank in
            if let host = rank.sshHost {
                let remote = subcommands.contains(command[0]) ? ["opensora"] + command : command
                let script = plan.remoteScript(for: rank, command: remote, directory: FileManager.default.currentDirectoryPath)
                return (URL(fileURLWithPath: "/usr/bin/env"), ["ssh", host, script], [:])
            }
            var env = rank.environment
            if let ringHostfile { env["MLX_HOSTFILE"] = ringHostfile }
            return (local.executable, local.arguments, env)
        }
    }

    /// The ring's address list, for local ranks (remote ones get it inside their script).
    func writeRingHostfile(_ plan: LaunchPlan) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("opensora-ring-\(getpid()).json").path
        try AtomicFile.write(Data(plan.ringHostfile.utf8), to: path)
        return path
    }
}

enum LaunchBackendChoice {
    static func parse(_ text: String) throws -> LaunchPlan.Backend {
        guard let b = LaunchPlan.Backend(rawValue: text) else {
            throw ValidationError("backend '\(text)' is not one of \(LaunchPlan.Backend.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return b
    }
}
