// Matmul throughput of the project's Tensor (MLX + the BLAS the executable linked), in GFLOP/s.
// Run through Benchmarks/matmul.sh, which puts numpy's OpenBLAS next to it in the same run.
import Foundation
import MLXTensor

let sizes = CommandLine.arguments.dropFirst().compactMap { Int($0) }
for n in sizes.isEmpty ? [1024, 2048] : sizes {
    let key = RandomKey(seed: 0).split(into: 2)
    let a = Tensor.normal([n, n], key: key[0]), b = Tensor.normal([n, n], key: key[1])
    try Tensor.eval([a, b])
    try a.matmul(b).eval()  // warm-up
    var times = [Double]()
    for _ in 0..<7 {
        let start = DispatchTime.now().uptimeNanoseconds
        try a.matmul(b).eval()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    let median = times.sorted()[times.count / 2]
    print(String(format: "tensor n=%d median=%.4fs gflops=%.1f", n, median, 2 * pow(Double(n), 3) / median / 1e9))
}
