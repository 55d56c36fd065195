import Foundation
import MLXTensor
@testable import OpenSora
import XCTest

/// `opensora launch` as users meet it: a peer that dies or hangs ends the launch with an error that
/// names the rank, within the timeout, leaving no file behind; hostfiles in MLX's format; bad input.
final class LaunchTests: XCTestCase {
    func launchRanks(_ c: ParallelCase, fault: String, timeout: Double) throws -> (ParallelLaunch.Result, output: String) {
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("rank0.safetensors").path
        let r = try ParallelLaunch.run(["launch", "-n", "2", "--peer-timeout", "\(timeout)", "--", ParallelLaunch.testBinary.path,
                                        "OpenSoraTests.ParallelRankEntry/testRank"],
                                       environment: [ParallelRankEntry.caseVariable: c.rawValue, ParallelRankEntry.outputVariable: out,
                                                     ParallelRankEntry.faultVariable: fault])
        return (r, out)
    }

    /// Rank 1 is SIGKILLed before its first exchange: the launcher stops rank 0 (blocked in it) at once.
    func testAKilledRankStopsTheLaunchWithItsName() throws {
        let (r, out) = try launchRanks(.midVideoMasked, fault: "die", timeout: 60)
        XCTAssertEqual(r.status, 128 + SIGKILL, r.stderr)
        XCTAssertTrue(r.stderr.contains("launch: rank 1 was killed by signal 9 (SIGKILL)"), r.stderr)
        XCTAssertLessThan(r.seconds, 30)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "rank 0 wrote its results without its peer")
    }

    /// Rank 1 hangs: rank 0 gives up after the peer timeout, naming itself and what it waited in.
    func testAHungRankTimesOutWithAClearError() throws {
        let (r, out) = try launchRanks(.midVideoMasked, fault: "hang", timeout: 3)
        XCTAssertEqual(r.status, PeerWatchdog.exitStatus, r.stderr)
        XCTAssertTrue(r.stderr.contains("rank 0 of 2: no answer for 3 s during a gather"), r.stderr)
        XCTAssertTrue(r.stderr.contains("launch: rank 0 exited with status 75; stopped rank 1"), r.stderr)
        XCTAssertLessThan(r.seconds, 30)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    /// A rank whose peer never starts (a hostfile of two, one process) fails after the timeout.
    func testAPeerThatNeverConnectsIsATimeoutNotAHang() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ports = try FreePorts.loopback(2)
        let hostfile = dir.appendingPathComponent("ring.json").path
        try Data(#"[["127.0.0.1:\#(ports[0])"], ["127.0.0.1:\#(ports[1])"]]"#.utf8).write(to: URL(fileURLWithPath: hostfile))
        let r = try ParallelLaunch.run(["generate", "a red circle moving left", "--num-sampling-steps", "1", "--resolution", "144p",
                                        "--num-frames", "1", "--save-dir", dir.path, "--quiet"],
                                       environment: ["MLX_RANK": "0", "MLX_HOSTFILE": hostfile, "OPENSORA_PEER_TIMEOUT": "2"])
        XCTAssertEqual(r.status, PeerWatchdog.exitStatus, r.stderr)
        XCTAssertTrue(r.stderr.contains("rank 0 of 2: no answer for 2 s during connecting to the other ranks"), r.stderr)
        XCTAssertLessThan(r.seconds, 20)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".mp4") }, [])
    }

    func testSequenceParallelGenerateWritesOneVideo() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ParallelLaunch.run(["generate", "a red circle moving left", "--sp", "2", "--num-sampling-steps", "2", "--resolution", "144p",
                                        "--num-frames", "17", "--save-dir", dir.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let probe = try VideoReader.probe(dir.appendingPathComponent("sample_0000.mp4").path)
        XCTAssertEqual(probe.frames, 17)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["sample_0000.mp4", "sample_0000.mp4.json"])
        XCTAssertFalse(r.stderr.contains("[rank 1] saved"), "only rank 0 writes: \(r.stderr)")
    }

    func testBadLaunchesAreOneLineErrors() throws {
        let noCommand = try ParallelLaunch.run(["launch", "-n", "2"])
        XCTAssertNotEqual(noCommand.status, 0)
        XCTAssertTrue(noCommand.stderr.contains("give the command after `--`"), noCommand.stderr)
        let both = try ParallelLaunch.run(["launch", "-n", "2", "--hostfile", "h.json", "--", "info"])
        XCTAssertTrue(both.stderr.contains("either -n N (this machine) or --hostfile FILE"), both.stderr)
        let backend = try ParallelLaunch.run(["launch", "-n", "2", "--backend", "gloo", "--", "info"])
        XCTAssertTrue(backend.stderr.contains("backend 'gloo' is not one of ring, nccl"), backend.stderr)
        let missing = try ParallelLaunch.run(["launch", "--hostfile", "/nonexistent/h.json", "--", "info"])
        XCTAssertTrue(missing.stderr.contains("hostfile '/nonexistent/h.json' cannot be read"), missing.stderr)
        let mismatch = try ParallelLaunch.run(["launch", "-n", "2", "--", "generate", "x", "--sp", "3", "--quiet"])
        XCTAssertTrue(mismatch.stderr.contains("--sp 3 differs from the launch's 2 ranks"), mismatch.stderr)
    }

    /// A failing rank's exit status passes through; a command that is not an opensora subcommand runs as itself.
    func testAnyExecutableRunsAndItsStatusPassesThrough() throws {
        let ok = try ParallelLaunch.run(["launch", "-n", "2", "--", "sh", "-c", "test \"$MLX_RANK\" -lt 2 && test -s \"$MLX_HOSTFILE\""])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        let failing = try ParallelLaunch.run(["launch", "-n", "2", "--", "sh", "-c", "echo oops >&2; exit $((3 + MLX_RANK))"])
        XCTAssertTrue([3, 4].contains(failing.status), "\(failing.status)")
        XCTAssertTrue(failing.stderr.contains("[rank 1] oops"), failing.stderr)
    }

    // MARK: plans and hostfiles

    func testLocalPlanGivesEachRankItsEnvironment() throws {
        let plan = try LaunchPlan.local(count: 2, backend: .ring, ports: [5001, 5002], peerTimeout: 30)
        XCTAssertEqual(plan.ringHostfile, #"[["127.0.0.1:5001"],["127.0.0.1:5002"]]"#)
        XCTAssertEqual(plan.ranks.map { $0.environment["MLX_RANK"] }, ["0", "1"])
        XCTAssertEqual(plan.ranks[1].environment["OPENSORA_PEER_TIMEOUT"], "30.0")
        XCTAssertEqual(plan.ranks[1].environment["OPENSORA_DISTRIBUTED_BACKEND"], "ring")
        XCTAssertNil(plan.ranks[0].sshHost)
        let nccl = try LaunchPlan.local(count: 2, backend: .nccl, ports: [6001, 6002], peerTimeout: nil)
        XCTAssertEqual(nccl.ranks[1].environment["NCCL_HOST_IP"], "127.0.0.1")
        XCTAssertEqual(nccl.ranks[1].environment["NCCL_PORT"], "6001")
        XCTAssertEqual(nccl.ranks[1].environment["MLX_WORLD_SIZE"], "2")
        XCTAssertThrowsError(try LaunchPlan.local(count: 0, backend: .ring, ports: [], peerTimeout: nil))
        XCTAssertThrowsError(try LaunchPlan.local(count: 2, backend: .ring, ports: [1, 2], peerTimeout: -1)) {
            XCTAssertTrue("\($0)".contains("--peer-timeout -1.0 must be a positive number"), "\($0)")
        }
    }

    func testMLXHostfilesParseAndRemoteRanksGetAnSSHScript() throws {
        let text = #"{"backend": "ring", "hosts": [{"ssh": "mac-a", "ips": ["10.0.0.1"]}, {"ssh": "mac-b", "ips": ["10.0.0.2", "10.1.0.2"]}]}"#
        let parsed = try LaunchHost.parse(hostfile: Data(text.utf8), path: "h.json")
        XCTAssertEqual(parsed.backend, "ring")
        XCTAssertEqual(parsed.hosts, [LaunchHost(ssh: "mac-a", ips: ["10.0.0.1"]), LaunchHost(ssh: "mac-b", ips: ["10.0.0.2", "10.1.0.2"])])
        let list = try LaunchHost.parse(hostfile: Data(#"[{"ssh": "h1", "ips": ["192.168.1.5"]}]"#.utf8), path: "l.json")
        XCTAssertNil(list.backend)
        XCTAssertEqual(list.hosts.count, 1)
        XCTAssertThrowsError(try LaunchHost.parse(hostfile: Data(#"[{"ssh": "h1"}]"#.utf8), path: "x.json")) {
            XCTAssertTrue("\($0)".contains("host 0 ('h1') lists no \"ips\""), "\($0)")
        }
        XCTAssertThrowsError(try LaunchHost.parse(hostfile: Data("nope".utf8), path: "x.json")) { XCTAssertTrue("\($0)".contains("not JSON")) }

        let plan = try LaunchPlan.hosts(parsed.hosts, backend: .ring, startingPort: 32323, peerTimeout: nil)
        XCTAssertEqual(plan.ringHostfile, #"[["10.0.0.1:32323"],["10.0.0.2:32324"]]"#)
        XCTAssertEqual(plan.ranks.map(\.sshHost), ["mac-a", "mac-b"])
        XCTAssertNil(plan.ranks[1].environment["OPENBLAS_NUM_THREADS"], "a host's cores are its own")
        let script = plan.remoteScript(for: plan.ranks[1], command: ["opensora", "train", "it's.yaml"], directory: "/work/run")
        XCTAssertTrue(script.hasPrefix("cd '/work/run' || exit 1; "), script)
        XCTAssertTrue(script.contains("export MLX_RANK='1'; "), script)
        XCTAssertTrue(script.contains(#"echo '[["10.0.0.1:32323"],["10.0.0.2:32324"]]' > "$MLX_HOSTFILE""#), script)
        XCTAssertTrue(script.hasSuffix(#"exec 'opensora' 'train' 'it'\''s.yaml'"#), script)
        XCTAssertThrowsError(try LaunchPlan.hosts(parsed.hosts, backend: .ring, startingPort: 65535, peerTimeout: nil))
    }
}
