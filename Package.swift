// swift-tools-version: 6.0
// opensora-swift: Open-Sora 1.2 in Swift on MLX. Layers (DESIGN.md): CMLX -> MLXTensor -> NN -> OpenSora -> opensora.
import PackageDescription

// Where MLX lives: `MLX_PREFIX` (a folder with include/mlx and lib/libmlx.*) or the wheel that
// scripts/bootstrap.sh unpacks into .deps/.
let packageDir = Context.packageDirectory
let mlxPrefix = Context.environment["MLX_PREFIX"] ?? "\(packageDir)/.deps/mlx-cpu-0.32.4/mlx"

// The wheel bundles netlib BLAS (~6 GFLOP/s). Linking OpenBLAS first makes `cblas_*` resolve to it
// (~200 GFLOP/s here); Benchmarks/MatmulThroughput proves it stays that way.
#if os(Linux)
let openBLASDir = Context.environment["OPENSORA_OPENBLAS_DIR"] ?? "/usr/lib/x86_64-linux-gnu/openblas-pthread"
let blasLink: [String] = [
    "-Xlinker", "--no-as-needed",
    "-Xlinker", "\(openBLASDir)/libblas.so.3",
    "-Xlinker", "-rpath", "-Xlinker", openBLASDir,
]
#else
let blasLink: [String] = []
#endif
let mlxLink = blasLink + [
    "-L\(mlxPrefix)/lib", "-lmlx",
    "-Xlinker", "-rpath", "-Xlinker", "\(mlxPrefix)/lib",
]

let package = Package(
    name: "opensora-swift",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "opensora", targets: ["opensora"]),
        .library(name: "OpenSora", targets: ["OpenSora"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "CMLX",
            cxxSettings: [
                .unsafeFlags(["-I\(mlxPrefix)/include", "-O2", "-fopenmp-simd", "-ffp-contract=fast", "-Wno-deprecated-declarations"]),
            ],
            linkerSettings: [.linkedLibrary("stdc++"), .unsafeFlags(mlxLink)]
        ),
        .target(name: "MLXTensor", dependencies: ["CMLX"]),
        .target(name: "NN", dependencies: ["MLXTensor"]),
        .target(name: "OpenSora", dependencies: ["NN", "MLXTensor"], resources: [.copy("Resources")]),
        // Resources: the stage presets as YAML, the same format a user's run config is written in.
        .target(
            name: "OpenSoraTraining",
            dependencies: ["OpenSora", "NN", "MLXTensor", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources")]
        ),
        // The HTTP API over a persistent job queue (DESIGN.md: OpenSora -> OpenSoraServer -> opensora).
        .target(
            name: "OpenSoraServer",
            dependencies: [
                "OpenSora",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The reference-fixture runners: test support, linked by the tests only (DESIGN.md layers).
        .target(name: "OpenSoraParity", dependencies: ["OpenSoraTraining", "OpenSora", "NN", "MLXTensor"]),
        .executableTarget(
            name: "opensora",
            dependencies: ["OpenSora", "OpenSoraTraining", "OpenSoraServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(name: "bench-matmul", dependencies: ["MLXTensor"], path: "Benchmarks/MatmulThroughput"),
        .executableTarget(name: "bench-stdit3-block", dependencies: ["OpenSora"], path: "Benchmarks/STDiT3Block"),
        .executableTarget(name: "bench-stdit3-train-step", dependencies: ["OpenSora"], path: "Benchmarks/STDiT3TrainStep"),
        .executableTarget(name: "bench-vae-train-step", dependencies: ["OpenSoraTraining"], path: "Benchmarks/VAETrainStep"),
        .executableTarget(name: "bench-vae-decode", dependencies: ["OpenSora"], path: "Benchmarks/VAEDecode"),
        .executableTarget(name: "bench-sampling-step", dependencies: ["OpenSora"], path: "Benchmarks/SamplingStep"),
        .executableTarget(name: "bench-cpu-kernels", dependencies: ["MLXTensor"], path: "Benchmarks/CPUKernels"),
        .executableTarget(name: "bench-training-memory", dependencies: ["OpenSora"], path: "Benchmarks/TrainingMemory"),
        .executableTarget(name: "bench-sequence-parallel", dependencies: ["OpenSora"], path: "Benchmarks/SequenceParallel"),
        .testTarget(name: "MLXTensorTests", dependencies: ["MLXTensor"]),
        .testTarget(name: "NNTests", dependencies: ["NN"]),
        .testTarget(name: "OpenSoraTests", dependencies: ["OpenSora", "OpenSoraParity"]),
        .testTarget(name: "OpenSoraTrainingTests", dependencies: ["OpenSoraTraining", "OpenSoraParity"]),
        .testTarget(
            name: "OpenSoraServerTests",
            dependencies: ["OpenSoraServer", "OpenSora", "OpenSoraTraining", .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log")]
        ),
    ],
    cxxLanguageStandard: .cxx20
)
