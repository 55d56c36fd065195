import ArgumentParser
import Foundation
import MLXTensor

/// `opensora info`: the runtime this binary runs on, with a BLAS check (a lost OpenBLAS
/// interposition falls back to the wheel's netlib BLAS at ~6 GFLOP/s: 30x slower).
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show the MLX runtime, devices and measured matmul throughput.")

    @Option(help: "Matrix size for the throughput check.")
    var size = 512

    func validate() throws {
        guard (16...8192).contains(size) else { throw ValidationError("--size \(size) must be between 16 and 8192") }
    }

    func run() throws {
        print("MLX \(Runtime.version), GPU available: \(Runtime.gpuAvailable ? "yes" : "no")")
        let keys = RandomKey(seed: 0).split(into: 2)
        let a = Tensor.normal([size, size], key: keys[0]), b = Tensor.normal([size, size], key: keys[1])
        try Tensor.eval([a, b])
        try a.matmul(b).eval()
        var best = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            let c = a.matmul(b)
            try c.eval()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let gflops = 2 * pow(Double(size), 3) / best / 1e9
        // A checksum of a small product computed two ways: the tensor runtime really computes.
        let check = try (a[0..<4, 0..<4].matmul(b[0..<4, 0..<4]) - (a[0..<4, 0..<4].expandedDims(2) * b[0..<4, 0..<4].expandedDims(0)).sum(axes: [1]))
            .abs().max().item()
        print(String(format: "sgemm %dx%d: %.1f GFLOP/s (best of 5); matmul self-check max error %.2e", size, size, gflops, check))
        if gflops < 30 && size >= 256 {
            print("warning: matmul is slow; OpenBLAS may not be linked before libmlx (see README, 'BLAS')")
        }
    }
}
